package dev.runa.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.data.Box;
import dev.runa.ood.BoxError;
import dev.runa.ood.BoxResult;
import dev.runa.ood.BoxScores;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** The end-of-run counts score and detect print, against counts made by hand from the same images. */
class RunTallyTest {
    static final Box BOX = new Box(0, 0, 10, 10);
    static final BoxScores SCORES = new BoxScores(0.3, 0.5, 0.9, 1.2, 0.4, 0);

    static BoxResult ok() {
        return new BoxResult(BOX, null, SCORES, null, null, 0);
    }

    static BoxResult failed(String kind, String message) {
        return new BoxResult(BOX, null, null, null, new BoxError(BoxError.Reason.UNREADABLE_IMAGE, kind, message), 0);
    }

    static ScoredImage image(int index, List<BoxResult> results) {
        List<DetectedBox> boxes = results.stream().map(r -> DetectedBox.of(BOX)).toList();
        return new ScoredImage(new ScoringJob(index, "i" + index, Path.of("img" + index + ".jpg"), boxes), results);
    }

    @Test
    void countsImagesBoxesAndFailuresByKind() {
        RunTally tally = new RunTally();
        assertEquals(0, tally.summary().images());
        assertFalse(tally.summary().noBoxScored(), "no boxes is not 'no box scored'");

        tally.add(image(0, List.of(ok(), failed("truncated image", "a: truncated"), ok())));
        tally.add(image(1, List.of(failed("box has no area", "b: no area"))));
        tally.add(image(2, List.of(failed("truncated image", "c: truncated"))));
        RunTally.Summary s = tally.summary();
        assertEquals(3, s.images());
        assertEquals(3, s.scoredImages());
        assertEquals(5, s.boxes());
        assertEquals(3, s.failedBoxes());
        assertEquals(2, s.scoredBoxes());
        assertEquals(0, s.unreadableImages());
        assertEquals(Map.of("box has no area", 1, "truncated image", 2), s.failuresByKind());
        assertEquals("1 box has no area, 2 truncated image", s.failuresText(), "kinds in alphabetical order");
        assertEquals(
                List.of("img0.jpg: a: truncated", "img1.jpg: b: no area", "img2.jpg: c: truncated"),
                s.firstBoxErrors());
        assertFalse(s.noBoxScored());
        assertThrows(
                UnsupportedOperationException.class, () -> s.failuresByKind().put("x", 1));

        tally.add(image(3, List.of(ok())));
        assertEquals(3, s.images(), "a summary does not change with later images");
    }

    @Test
    void agreesWithCountsByHandOnRandomRuns() {
        Random random = new Random(11);
        List<String> kinds = List.of("truncated image", "box has no area", "image too large");
        for (int run = 0; run < 20; run++) {
            RunTally tally = new RunTally();
            long images = 0, scoredImages = 0, boxes = 0, failed = 0, unreadable = 0;
            Map<String, Integer> byKind = new TreeMap<>();
            List<String> boxErrors = new ArrayList<>();
            List<String> imageErrors = new ArrayList<>();
            int n = random.nextInt(12);
            for (int i = 0; i < n; i++) {
                images++;
                String imageError = random.nextInt(4) == 0 ? "img" + i + ": unreadable" : null;
                if (imageError != null) {
                    unreadable++;
                    imageErrors.add(imageError);
                }
                ScoredImage scored = null;
                if (imageError == null && random.nextBoolean()) {
                    List<BoxResult> results = new ArrayList<>();
                    for (int b = random.nextInt(4); b >= 0; b--) {
                        if (random.nextInt(3) == 0) {
                            String kind = kinds.get(random.nextInt(kinds.size()));
                            results.add(failed(kind, "e" + i + "." + b));
                            byKind.merge(kind, 1, Integer::sum);
                            boxErrors.add("img" + i + ".jpg: e" + i + "." + b);
                            failed++;
                        } else {
                            results.add(ok());
                        }
                    }
                    boxes += results.size();
                    scoredImages++;
                    scored = image(i, results);
                }
                tally.add(scored, imageError);
            }
            RunTally.Summary s = tally.summary();
            assertEquals(
                    new RunTally.Summary(
                            images,
                            scoredImages,
                            boxes,
                            failed,
                            unreadable,
                            new LinkedHashMap<>(byKind),
                            boxErrors.subList(0, Math.min(RunTally.QUOTED_ERRORS, boxErrors.size())),
                            imageErrors.subList(0, Math.min(RunTally.QUOTED_ERRORS, imageErrors.size()))),
                    s,
                    "run " + run);
            assertEquals(boxes > 0 && failed == boxes, s.noBoxScored());
        }
    }

    @Test
    void everyBoxFailedIsNoBoxScored() {
        RunTally tally = new RunTally();
        tally.add(image(0, List.of(failed("truncated image", "x"), failed("truncated image", "y"))));
        assertTrue(tally.summary().noBoxScored());
        assertEquals("2 truncated image", RunTally.countsText(tally.summary().failuresByKind()));
    }
}
