package dev.runa.render;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Where the annotated copy of each image of a run goes: the image's path relative to the input
 * folder, mirrored under the annotation folder, with the extension replaced by {@code .png}
 * ({@code a/x.jpg} -> {@code a/x.png}). Names never collide within a run: when two inputs would
 * share one ({@code x.jpg} and {@code x.png}, or one file listed twice), the later one gets its
 * extension and, if needed, a counter ({@code x_png.png}, {@code x_png_2.png}). Paths that would
 * leave the folder ({@code ../}, absolute file names) keep only their file name.
 *
 * <p>Names are assigned for the whole job list at once, so a resumed run gives the same names.
 */
public final class AnnotatedNames {
    private AnnotatedNames() {}

    /**
     * One relative output path per input file, in order, all distinct (case-insensitively, for
     * file systems that ignore case).
     *
     * @param root  the folder the inputs' names are relative to
     * @param files the run's images, in job order
     */
    public static List<Path> assign(Path root, List<Path> files) {
        Path base = root.toAbsolutePath().normalize();
        Set<String> used = new HashSet<>();
        List<Path> out = new ArrayList<>(files.size());
        for (Path f : files) {
            Path abs = f.toAbsolutePath().normalize();
            Path rel = abs.startsWith(base) ? base.relativize(abs) : abs.getFileName();
            String name = rel.getFileName().toString();
            int dot = name.lastIndexOf('.');
            String stem = dot > 0 ? name.substring(0, dot) : name;
            String ext = dot > 0 ? name.substring(dot + 1) : "";
            Path dir = rel.getParent();
            Path candidate = resolve(dir, stem + ".png");
            if (!used.add(key(candidate))) {
                String tagged = ext.isEmpty() ? stem : stem + "_" + ext;
                candidate = resolve(dir, tagged + ".png");
                for (int n = 2; !used.add(key(candidate)); n++) {
                    candidate = resolve(dir, tagged + "_" + n + ".png");
                }
            }
            out.add(candidate);
        }
        return out;
    }

    private static Path resolve(Path dir, String name) {
        return dir == null ? Path.of(name) : dir.resolve(name);
    }

    private static String key(Path p) {
        return p.toString().toLowerCase(Locale.ROOT);
    }
}
