package dev.runa.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * SHA-256 digests as 64 lower-case hex digits: of files (image digests, adapter identities, download
 * checks) and of text (cache keys, model fingerprints). Stateless and thread-safe.
 */
public final class Sha256 {
    private Sha256() {}

    /** A fresh digest; every Java platform must provide SHA-256. */
    public static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    /** The digest of a file's content, read in 64 KiB pieces. */
    public static String of(Path file) throws IOException {
        MessageDigest md = newDigest();
        byte[] buf = new byte[1 << 16];
        try (InputStream in = Files.newInputStream(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return hex(md);
    }

    /** The digest of a text's UTF-8 bytes. */
    public static String of(String text) {
        MessageDigest md = newDigest();
        md.update(text.getBytes(StandardCharsets.UTF_8));
        return hex(md);
    }

    /** Finishes {@code md} and formats its digest. */
    public static String hex(MessageDigest md) {
        return HexFormat.of().formatHex(md.digest());
    }
}
