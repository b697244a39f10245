package dev.runa.clip;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Which CLIP weights a result came from, as recorded in calibrations, adapters, caches and reports so
 * that none of them is ever applied to another model. Immutable and thread-safe.
 *
 * @param source   where the weights come from
 * @param text     the recorded form: {@code ORG/NAME@COMMIT} (hub), {@code DIR#FINGERPRINT} (a local
 *                 directory and a digest of its files' names, sizes and times, so that replaced weights
 *                 at the same path are noticed), or {@code random:NAME}
 * @param revision the hub commit; empty for local directories and random weights
 */
public record ModelIdentity(Source source, String text, String revision) {
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
        if (source != Source.HUB && !revision.isEmpty()) {
            throw new IllegalArgumentException(source + " model identities have no revision: " + text);
        }
    }

    /** A hub repository {@code repoId} at commit {@code commit}. */
    public static ModelIdentity hub(String repoId, String commit) {
        return new ModelIdentity(Source.HUB, repoId + "@" + commit, commit);
    }

    /** A local checkpoint directory (absolute, normalised) and the fingerprint of its files. */
    public static ModelIdentity local(Path dir, String fingerprint) {
        return new ModelIdentity(Source.LOCAL, dir + "#" + fingerprint, "");
    }

    /** Random weights named as the {@code --model} value that asked for them ({@code random:NAME}). */
    public static ModelIdentity random(String spec) {
        return new ModelIdentity(Source.RANDOM, spec, "");
    }

    /** The recorded form, {@link #text()}. */
    @Override
    public String toString() {
        return text;
    }
}
