package dev.runa.detect;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The images of a folder a run works through: JPEG and PNG files directly in it, by file name. */
public final class ImageFolder {
    private ImageFolder() {}

    /**
     * The folder's {@code .jpg}, {@code .jpeg} and {@code .png} files (any case), sorted by name;
     * paths are {@code dir.resolve(name)}, so they print as the folder was given.
     *
     * @throws NoSuchFileException when {@code dir} is not a folder
     */
    public static List<Path> list(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new NoSuchFileException(dir.toString());
        }
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                    .map(p -> p.getFileName().toString())
                    .filter(ImageFolder::isImageName)
                    .sorted()
                    .map(dir::resolve)
                    .toList();
        }
    }

    /** True for a name that {@link #list} takes: it ends in {@code .jpg}, {@code .jpeg} or {@code .png} (any case). */
    public static boolean isImageName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png");
    }
}
