package dev.runa.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before any work starts, that an output can be written where a run will write it: a run
 * of an hour must not fail at its end because {@code --out} names a folder or a read-only place.
 */
public final class OutputLocations {
    private OutputLocations() {}

    /** Why an output location cannot be used; the message names the path and the problem. */
    public static final class Unusable extends IOException {
        private final Path path;

        Unusable(Path path, String problem) {
            super(path + ": " + problem);
            this.path = path;
        }

        /** The output path that cannot be used. */
        public Path path() {
            return path;
        }
    }

    /** {@code file} can be created or replaced: it is not a folder, and its folder exists or can be made, writable. */
    public static void requireWritableFile(Path file) throws Unusable {
        if (Files.isDirectory(file)) {
            throw new Unusable(file, "is a folder, not a file");
        }
        requireWritableParent(file);
    }

    /** {@code dir} is a writable folder or can be created as one. */
    public static void requireWritableFolder(Path dir) throws Unusable {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new Unusable(dir, "is a file, not a folder");
        }
        if (Files.isDirectory(dir)) {
            if (!Files.isWritable(dir)) {
                throw new Unusable(dir, "folder is not writable");
            }
            return;
        }
        requireWritableParent(dir);
    }

    // The nearest existing ancestor must be a writable folder (the rest is created).
    private static void requireWritableParent(Path p) throws Unusable {
        Path ancestor = p.toAbsolutePath().normalize().getParent();
        while (ancestor != null && !Files.exists(ancestor)) {
            ancestor = ancestor.getParent();
        }
        if (ancestor == null) {
            return;
        }
        if (!Files.isDirectory(ancestor)) {
            throw new Unusable(p, ancestor + " is a file, so no folder can be made there");
        }
        if (!Files.isWritable(ancestor)) {
            throw new Unusable(p, "folder " + ancestor + " is not writable");
        }
    }
}
