package dev.runa.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.runa.ood.ScoreKind;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Copies are named by input position, mirrored under the folder, never two on one name. */
class AnnotatedCopiesTest {
    @Test
    void namesFollowTheInputListAndNeverCollide() {
        Path root = Path.of("/data/images");
        List<Path> files =
                List.of(root.resolve("a/x.png"), root.resolve("b/x.png"), root.resolve("x.jpg"), root.resolve("x.png"));
        AnnotatedCopies copies =
                new AnnotatedCopies(Path.of("/out"), root, files, List.of("cat", "dog"), ScoreKind.MAXSIM);
        assertEquals(Path.of("/out/a/x.png"), copies.target(0));
        assertEquals(Path.of("/out/b/x.png"), copies.target(1));
        assertEquals(Path.of("/out/x.png"), copies.target(2));
        assertNotEquals(copies.target(2), copies.target(3));
    }
}
