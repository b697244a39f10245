package dev.runa.clip.checkpoint;

import dev.runa.io.AtomicFile;
import dev.runa.io.Sha256;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.regex.Pattern;

/**
 * SHA-256 of model files, remembered in a folder keyed by (absolute path, size, modification time),
 * so that each weight file is read in full once, not on every load. A file changed in place gets a
 * new key (size or mtime differ) and is hashed again; a copy or a touched file is hashed once more
 * and, having the same content, gives the same digest.
 *
 * <p>Thread-safe; entries are written atomically and an unwritable folder only costs speed.
 */
public final class ContentDigests {
    private static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");

    private final Path dir;

    /** @param dir where digests are remembered (created on first use) */
    public ContentDigests(Path dir) {
        this.dir = dir;
    }

    /** The file's SHA-256 as 64 hex digits. */
    public String sha256(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        BasicFileAttributes a = Files.readAttributes(abs, BasicFileAttributes.class);
        String key =
                Sha256.of(abs + "\n" + a.size() + "\n" + a.lastModifiedTime().toMillis());
        Path entry = dir.resolve(key);
        try {
            String known = Files.readString(entry, StandardCharsets.US_ASCII).strip();
            if (HEX64.matcher(known).matches()) {
                return known;
            }
        } catch (IOException e) {
            // not remembered (or unreadable): compute it
        }
        String sha = Sha256.of(abs);
        try {
            AtomicFile.write(entry, sha.getBytes(StandardCharsets.US_ASCII));
        } catch (IOException e) {
            // a read-only cache folder only means hashing again next time
        }
        return sha;
    }
}
