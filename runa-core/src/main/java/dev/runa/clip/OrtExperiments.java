package dev.runa.clip;

import java.util.Map;
import java.util.Objects;

/**
 * Switches for performance work on the ONNX Runtime sessions, off by default: extra session config
 * entries (for option sweeps, see bench/GraphSweep.java) and ORT's per-node profile (see
 * bench/ProfileClip.java). Explicit options rather than system properties, so that two encoders in
 * one JVM can differ and nothing global changes a product run. Immutable.
 *
 * @param sessionConfig extra ORT session config entries ({@code key -> value}), applied after runa's own
 * @param profilePrefix file prefix for ORT's Chrome-trace profile of each session, or null for none
 */
public record OrtExperiments(Map<String, String> sessionConfig, String profilePrefix) {
    /** No extra entries, no profile. */
    public static final OrtExperiments NONE = new OrtExperiments(Map.of(), null);

    public OrtExperiments {
        sessionConfig = Map.copyOf(Objects.requireNonNull(sessionConfig, "sessionConfig"));
        if (profilePrefix != null && profilePrefix.isBlank()) {
            throw new IllegalArgumentException("profile prefix must not be blank");
        }
    }

    /** Whether sessions record a profile. */
    public boolean profiling() {
        return profilePrefix != null;
    }
}
