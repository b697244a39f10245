package dev.runa.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runa.data.Box;
import dev.runa.data.CocoDataset;
import dev.runa.data.Detection;
import java.util.List;
import org.junit.jupiter.api.Test;

class F1OptimalThresholdTest {
    /** Hand-worked values are a few exact operations on simple decimals: 1e-12 covers their rounding. */
    private static final double EXACT = 1e-12;

    private static CocoDataset.Annotation gt(String img, int cat, Box b, boolean crowd) {
        return new CocoDataset.Annotation(img, cat, b, crowd);
    }

    @Test
    void handWorkedTwoClassCase() {
        Box g1 = new Box(0, 0, 10, 10);
        Box g2 = new Box(50, 50, 60, 60);
        CocoDataset data = new CocoDataset(
                List.of(new CocoDataset.Image("1", "a.jpg", 100, 100), new CocoDataset.Image("2", "b.jpg", 100, 100)),
                List.of(
                        gt("1", 1, g1, false),
                        gt("1", 1, g2, false),
                        gt("2", 2, g1, false),
                        gt("2", 3, new Box(0, 0, 5, 5), true)),
                List.of(
                        new CocoDataset.Category(1, "cat"),
                        new CocoDataset.Category(2, "dog"),
                        new CocoDataset.Category(3, "cow")));
        List<Detection> dets = List.of(
                // Class 1: TP 0.9, FP 0.8, TP 0.7 at every IoU. Recall .5/.5/1, precision 1/.5/.667 made
                // monotone 1/.667/.667; F1 peaks at recall 1 (0.8) whose detection scores 0.7.
                new Detection("1", 1, g1, 0.9),
                new Detection("1", 1, new Box(80, 80, 90, 90), 0.8),
                new Detection("1", 1, g2, 0.7),
                // Class 2: one detection with IoU 0.62 is a TP at IoU 0.50/0.55/0.60 and a FP at the 7
                // others. Averaged over IoUs: p = 0.3 at every recall, score 0.6 at r = 0 and 3 * 0.6 / 10
                // beyond; F1 grows with r so r = 1 wins: class threshold 0.18.
                new Detection("2", 2, new Box(0, 0, 10, 6.2), 0.6),
                // Class 3 has only a crowd box: skipped (its detection is absorbed, not counted).
                new Detection("2", 3, new Box(0, 0, 2, 2), 0.99));
        F1OptimalThreshold.Result r = F1OptimalThreshold.compute(data, dets);
        assertEquals(0.7, r.perCategory().get(1), EXACT);
        assertEquals(0.18, r.perCategory().get(2), EXACT);
        assertFalse(r.perCategory().containsKey(3));
        assertEquals((0.7 + 0.18) / 2, r.threshold(), EXACT);
    }

    @Test
    void crowdRegionAbsorbsADetection() {
        Box g = new Box(0, 0, 10, 10);
        CocoDataset data = new CocoDataset(
                List.of(new CocoDataset.Image("1", "a.jpg", 100, 100)),
                List.of(gt("1", 1, g, false), gt("1", 1, new Box(20, 20, 100, 100), true)),
                List.of(new CocoDataset.Category(1, "cat")));
        // 0.95 lies inside the crowd region: matched to it and ignored (neither TP nor FP), so the
        // crowd box is not a class with ground truth and the threshold comes from the TP alone. This
        // checks the crowd path runs; the optimum (r = 1, score 0.5) would be the same with a FP.
        List<Detection> dets =
                List.of(new Detection("1", 1, new Box(30, 30, 40, 40), 0.95), new Detection("1", 1, g, 0.5));
        F1OptimalThreshold.Result r = F1OptimalThreshold.compute(data, dets);
        // At r = 1 the first detection reaching recall 1 is the TP (index 1 in score order): score 0.5.
        assertEquals(0.5, r.threshold(), EXACT);
    }

    @Test
    void unknownImageOrNoMatchIsAnError() {
        CocoDataset data = new CocoDataset(
                List.of(new CocoDataset.Image("1", "a.jpg", 10, 10)),
                List.of(gt("1", 1, new Box(0, 0, 5, 5), false)),
                List.of(new CocoDataset.Category(1, "cat")));
        assertThrows(
                IllegalArgumentException.class,
                () -> F1OptimalThreshold.compute(data, List.of(new Detection("9", 1, new Box(0, 0, 1, 1), 0.5))));
        assertThrows(IllegalArgumentException.class, () -> F1OptimalThreshold.compute(data, List.of()));
    }

    /**
     * Issue 9, item 8: a TP on image 102 and a FP on image 9 tie at confidence 0.5. pycocotools walks
     * images in sorted() order (9 before 102 for integer ids) and its stable sort keeps the FP first:
     * rc = [0, .5, .5, .5, 1], precision envelope [.5, .5, .4, .4, .4]; F1 is 0.5 at recall .5 and
     * 0.8/1.4 = 0.571 at recall 1, so the threshold is the score at recall 1, 0.1. Ordered as text
     * ("102" < "9") the TP comes first, precision at recall .5 becomes 1, F1 .667 wins: 0.5.
     */
    @Test
    void tiesAcrossImagesFollowPythonsSortedImageIds() {
        for (boolean integerIds : new boolean[] {true, false}) {
            Box g = new Box(0, 0, 10, 10);
            Box far = new Box(60, 60, 70, 70);
            List<CocoDataset.Image> images = List.of(
                    new CocoDataset.Image("1", "1.jpg", 100, 100, integerIds),
                    new CocoDataset.Image("9", "9.jpg", 100, 100, integerIds),
                    new CocoDataset.Image("102", "102.jpg", 100, 100, integerIds),
                    new CocoDataset.Image("500", "500.jpg", 100, 100, integerIds));
            CocoDataset data = new CocoDataset(
                    images,
                    List.of(gt("102", 1, g, false), gt("500", 1, g, false)),
                    List.of(new CocoDataset.Category(1, "cat")));
            List<Detection> dets = List.of(
                    new Detection("102", 1, g, 0.5),
                    new Detection("9", 1, far, 0.5),
                    new Detection("1", 1, far, 0.3),
                    new Detection("1", 1, new Box(30, 30, 40, 40), 0.3),
                    new Detection("500", 1, g, 0.1));
            F1OptimalThreshold.Result r = F1OptimalThreshold.compute(data, dets);
            // Integer ids: sorted([1, 9, 102, 500]); string ids: sorted(["1", "102", "500", "9"]).
            double expected = integerIds ? 0.1 : 0.5;
            assertEquals(expected, r.perCategory().get(1), EXACT, "integer ids: " + integerIds);
            assertEquals(expected, r.threshold(), EXACT, "integer ids: " + integerIds);
        }
    }

    @Test
    void imageIdsSortAsPythonSortsThem() {
        CocoDataset ints = new CocoDataset(
                List.of(
                        new CocoDataset.Image("1004", "a", 1, 1, true),
                        new CocoDataset.Image("9", "b", 1, 1, true),
                        new CocoDataset.Image("-3", "c", 1, 1, true),
                        new CocoDataset.Image("102", "d", 1, 1, true)),
                List.of(),
                List.of());
        assertEquals(List.of("-3", "9", "102", "1004"), ints.sortedImageIds());
        CocoDataset strings = new CocoDataset(
                List.of(
                        new CocoDataset.Image("1004", "a", 1, 1, false),
                        new CocoDataset.Image("9", "b", 1, 1, false),
                        new CocoDataset.Image("\uD83D\uDE00", "e", 1, 1, false), // U+1F600, above U+FFFF
                        new CocoDataset.Image("\uFF5E", "f", 1, 1, false), // U+FF5E sorts before it by code point
                        new CocoDataset.Image("102", "d", 1, 1, false)),
                List.of(),
                List.of());
        assertEquals(List.of("1004", "102", "9", "\uFF5E", "\uD83D\uDE00"), strings.sortedImageIds());
    }
}
