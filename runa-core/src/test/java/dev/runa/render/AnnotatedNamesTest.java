package dev.runa.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AnnotatedNamesTest {
    @Test
    void theIssuesFourInputsGetFourPicturesMirroringTheirFolders() {
        Path root = Path.of("/data/images");
        List<Path> names = AnnotatedNames.assign(
                root,
                List.of(
                        root.resolve("a/x.png"),
                        root.resolve("b/x.png"),
                        root.resolve("x.jpg"),
                        root.resolve("x.png")));
        assertEquals(List.of(Path.of("a/x.png"), Path.of("b/x.png"), Path.of("x.png"), Path.of("x_png.png")), names);
    }

    @Test
    void aFileListedTwiceAndNamesOutsideTheFolderStayDistinctAndInside() {
        Path root = Path.of("/data/images");
        List<Path> names = AnnotatedNames.assign(
                root,
                List.of(
                        root.resolve("x.png"),
                        root.resolve("x.png"),
                        root.resolve("x.png"),
                        Path.of("/elsewhere/y.jpg"),
                        root.resolve("../z.jpg"),
                        root.resolve("X.PNG")));
        assertEquals(
                List.of(
                        Path.of("x.png"),
                        Path.of("x_png.png"),
                        Path.of("x_png_2.png"),
                        Path.of("y.png"),
                        Path.of("z.png"),
                        Path.of("X_PNG_3.png")), // x_png.png is taken, whatever the case
                names);
    }
}
