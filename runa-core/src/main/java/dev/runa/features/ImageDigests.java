package dev.runa.features;

import dev.runa.io.Sha256;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SHA-256 digests of image files, the image part of a {@link FeatureKey}.
 *
 * <p>Why the content and not path + size + modification time: a cached feature is then found again
 * after the dataset is moved, copied or mounted elsewhere, and is never wrongly reused when a file
 * is replaced by another of the same size within the time-stamp resolution. Hashing costs about a
 * millisecond per typical dataset image, far below decoding it and running the encoder on a miss.
 * To hash each file only once per process however many boxes it has, digests are memoised under
 * (absolute path, size, modification time); a file that changes is hashed again. Thread-safe.
 */
public final class ImageDigests {
    private record Stat(Path path, long size, FileTime modified) {}

    private final Map<Stat, String> memo = new ConcurrentHashMap<>();

    /** The file's SHA-256 as 64 lower-case hex digits. */
    public String digest(Path file) throws IOException {
        Path abs = file.toAbsolutePath().normalize();
        BasicFileAttributes a = Files.readAttributes(abs, BasicFileAttributes.class);
        if (!a.isRegularFile()) {
            throw new IOException(file + ": not a regular file, cannot identify the image");
        }
        Stat key = new Stat(abs, a.size(), a.lastModifiedTime());
        String d = memo.get(key);
        if (d == null) {
            d = Sha256.of(abs);
            memo.put(key, d);
        }
        return d;
    }
}
