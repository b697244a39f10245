package dev.runa.server;

import dev.runa.io.Sha256;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * Checks {@code Authorization: Bearer <token>} in constant time: both sides are hashed to fixed
 * length and compared with {@link MessageDigest#isEqual}, so neither the token's length nor the
 * position of the first wrong character shows in the timing. Immutable and thread-safe.
 */
final class BearerAuth {
    private static final String PREFIX = "Bearer ";
    private final byte[] expected;

    BearerAuth(String token) {
        this.expected = sha256(token);
    }

    /** True when the header carries the token. */
    boolean accepts(String authorizationHeader) {
        String given = authorizationHeader != null && authorizationHeader.regionMatches(true, 0, PREFIX, 0, 7)
                ? authorizationHeader.substring(7)
                : "";
        // Always hash and compare, also for a missing header, so that every refusal costs the same.
        boolean equal = MessageDigest.isEqual(expected, sha256(given));
        return equal && authorizationHeader != null;
    }

    private static byte[] sha256(String s) {
        return Sha256.newDigest().digest(s.getBytes(StandardCharsets.UTF_8));
    }
}
