package dev.runa.clip;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Which CLIP weights a result came from, as recorded in calibrations, adapters, caches and reports so
 * that none of them is ever applied to another model. Immutable and thread-safe.
 *
 * @param source   where the weights come from
 * @param text     the recorded form: {@code ORG/NAME@COMMIT} (hub: the resolved commit),
 *                 {@code local:sha256:HEX} (a local directory: the SHA-256 of its weight files and
 *                 config, so that a copy or a touched file is the same model and replaced weights are
 *                 another one), or {@code random:NAME}
 * @param revision the hub commit; empty for local directories and random weights
 * @param legacy   the form earlier versions recorded for the same model ({@code DIR#FINGERPRINT} of a
 *                 local directory: its path and its files' names, sizes and times), accepted from old
 *                 adapter files; empty when there is none
 */
public record ModelIdentity(Source source, String text, String revision, String legacy) {
    /** Where the weights come from. */
    public enum Source {
        /** A Hugging Face repository at a resolved commit. */
        HUB,
        /** A checkpoint directory on disk. */
        LOCAL,
        /** Seeded random weights of a preset architecture (tests, benchmarks). */
        RANDOM,
    }

    public ModelIdentity {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(revision, "revision");
        Objects.requireNonNull(legacy, "legacy");
        if (source != Source.HUB && !revision.isEmpty()) {
            throw new IllegalArgumentException(source + " model identities have no revision: " + text);
        }
    }

    /** A hub repository {@code repoId} at commit {@code commit}. */
    public static ModelIdentity hub(String repoId, String commit) {
        return new ModelIdentity(Source.HUB, repoId + "@" + commit, commit, "");
    }

    /**
     * A local checkpoint directory.
     *
     * @param contentDigest the SHA-256 (hex) of its weight files and config
     * @param dir           the directory (absolute, normalised), for the earlier form
     * @param fingerprint   the digest of its files' names, sizes and times, for the earlier form
     */
    public static ModelIdentity local(String contentDigest, Path dir, String fingerprint) {
        return new ModelIdentity(Source.LOCAL, "local:sha256:" + contentDigest, "", dir + "#" + fingerprint);
    }

    /** Random weights named as the {@code --model} value that asked for them ({@code random:NAME}). */
    public static ModelIdentity random(String spec) {
        return new ModelIdentity(Source.RANDOM, spec, "", "");
    }

    /**
     * {@code recorded} when it names this model in the current or the earlier form (an adapter made
     * by an older version), else {@link #text()}: what a recorded identity is checked against.
     */
    public String matching(String recorded) {
        return recorded != null && !legacy.isEmpty() && recorded.equals(legacy) ? recorded : text;
    }

    /** The recorded form, {@link #text()}. */
    @Override
    public String toString() {
        return text;
    }
}
