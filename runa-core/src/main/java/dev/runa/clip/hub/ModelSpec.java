package dev.runa.clip.hub;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What a {@code --model} argument names: a local checkpoint directory, a Hugging Face repo (optionally
 * at a revision), or something else this package does not handle (e.g. {@code random:tiny}).
 */
public sealed interface ModelSpec permits ModelSpec.Local, ModelSpec.Hub, ModelSpec.Other {

    /** The revision used when none is given, as in huggingface_hub. */
    String DEFAULT_REVISION = "main";

    /** An existing local directory. */
    record Local(Path dir) implements ModelSpec {
        public Local {
            Objects.requireNonNull(dir, "dir");
        }
    }

    /** A hub repository {@code ORG/NAME} at a branch, tag or commit. */
    record Hub(String repoId, String revision) implements ModelSpec {
        public Hub {
            HfCache.checkRepoId(repoId);
            HfCache.checkRevision(revision);
        }

        @Override
        public String toString() {
            return revision.equals(DEFAULT_REVISION) ? repoId : repoId + "@" + revision;
        }
    }

    /** Not a directory and not hub-shaped, e.g. {@code random:tiny}; the caller decides. */
    record Other(String text) implements ModelSpec {}

    /**
     * Parses a model argument. An existing directory wins (so a local folder {@code org/name} is used
     * as is); then {@code NAME}, {@code ORG/NAME} or {@code ORG/NAME@REVISION} means the hub; anything
     * else (a scheme such as {@code random:}, a path that does not exist) is {@link Other}.
     */
    static ModelSpec parse(String text) {
        Objects.requireNonNull(text, "model");
        if (text.isBlank()) {
            return new Other(text); // Path.of("") would be the working directory
        }
        Path asPath = safePath(text);
        if (asPath != null && Files.isDirectory(asPath)) {
            return new Local(asPath);
        }
        int at = text.indexOf('@');
        String repo = at < 0 ? text : text.substring(0, at);
        String revision = at < 0 ? DEFAULT_REVISION : text.substring(at + 1);
        if (HUB_ID.matcher(repo).matches() && isValidRevision(revision)) {
            try {
                return new Hub(repo, revision);
            } catch (IllegalArgumentException notHub) {
                return new Other(text);
            }
        }
        return new Other(text);
    }

    /** Hub ids: {@code NAME} or {@code ORG/NAME}, no scheme, no leading dot (a relative path like ./x). */
    Pattern HUB_ID = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]*(/[A-Za-z0-9_][A-Za-z0-9_.\\-]*)?");

    private static boolean isValidRevision(String revision) {
        try {
            HfCache.checkRevision(revision);
            return true;
        } catch (IllegalArgumentException ex) {
            return false;
        }
    }

    private static Path safePath(String text) {
        try {
            return Path.of(text);
        } catch (RuntimeException invalid) {
            return null;
        }
    }
}
