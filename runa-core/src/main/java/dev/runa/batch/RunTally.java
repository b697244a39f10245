package dev.runa.batch;

import dev.runa.ood.BoxResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * What a scoring run did, counted as it goes, for its end-of-run summary: images, boxes, the boxes
 * that could not be scored by kind of problem, and the first few errors to show. {@code score} and
 * {@code detect} feed it from their sinks and print its {@link Summary}.
 *
 * <p>Not thread-safe: one run owns it, and the batch runners call their sinks from one thread
 * ({@link BatchScorer.Sink}).
 */
public final class RunTally {
    /** How many errors a summary quotes; the output rows hold every one. */
    public static final int QUOTED_ERRORS = 5;

    private long images;
    private long scoredImages;
    private long boxes;
    private long failedBoxes;
    private long unreadableImages;
    private final Map<String, Integer> failuresByKind = new TreeMap<>();
    private final List<String> firstBoxErrors = new ArrayList<>();
    private final List<String> firstImageErrors = new ArrayList<>();

    /** Counts a scored image: its boxes, and each box that could not be scored by its kind of problem. */
    public void add(ScoredImage image) {
        add(image, null);
    }

    /**
     * Counts an image of a run that may have nothing to score ({@code detect}): {@code scored} is null
     * when it had no detections or could not be read; {@code imageError} says why it could not be
     * read, or is null.
     */
    public void add(ScoredImage scored, String imageError) {
        images++;
        if (imageError != null) {
            unreadableImages++;
            if (firstImageErrors.size() < QUOTED_ERRORS) {
                firstImageErrors.add(imageError);
            }
        }
        if (scored == null) {
            return;
        }
        scoredImages++;
        boxes += scored.results().size();
        for (BoxResult r : scored.results()) {
            if (!r.ok()) {
                failedBoxes++;
                failuresByKind.merge(r.failure().kind(), 1, Integer::sum);
                if (firstBoxErrors.size() < QUOTED_ERRORS) {
                    firstBoxErrors.add(scored.job().file() + ": " + r.error());
                }
            }
        }
    }

    /** The counts so far. */
    public Summary summary() {
        return new Summary(
                images,
                scoredImages,
                boxes,
                failedBoxes,
                unreadableImages,
                failuresByKind,
                firstBoxErrors,
                firstImageErrors);
    }

    /**
     * A run's counts. Immutable.
     *
     * @param images           images the run worked through
     * @param scoredImages     of them, those whose boxes were scored (in {@code detect}: with detections)
     * @param boxes            boxes, scored or not
     * @param failedBoxes      of them, those that could not be scored (error rows)
     * @param unreadableImages images that could not be read and so had no boxes to score ({@code detect})
     * @param failuresByKind   failed boxes by kind of problem ("truncated image"), in the kinds' order
     * @param firstBoxErrors   the first {@value RunTally#QUOTED_ERRORS} box errors, {@code FILE: error}
     * @param firstImageErrors the first {@value RunTally#QUOTED_ERRORS} errors of unreadable images
     */
    public record Summary(
            long images,
            long scoredImages,
            long boxes,
            long failedBoxes,
            long unreadableImages,
            Map<String, Integer> failuresByKind,
            List<String> firstBoxErrors,
            List<String> firstImageErrors) {
        public Summary {
            failuresByKind = Collections.unmodifiableMap(new LinkedHashMap<>(failuresByKind));
            firstBoxErrors = List.copyOf(firstBoxErrors);
            firstImageErrors = List.copyOf(firstImageErrors);
        }

        /** Boxes that were scored. */
        public long scoredBoxes() {
            return boxes - failedBoxes;
        }

        /** True when there were boxes and not one could be scored. */
        public boolean noBoxScored() {
            return boxes > 0 && failedBoxes == boxes;
        }

        /** The failures by kind as one phrase, {@code "2 truncated image, 1 box has no area"}. */
        public String failuresText() {
            return countsText(failuresByKind);
        }
    }

    /** Counts by kind as one phrase: {@code "2 truncated image, 1 box has no area"}, in the map's order. */
    public static String countsText(Map<String, Integer> byKind) {
        return byKind.entrySet().stream()
                .map(e -> e.getValue() + " " + e.getKey())
                .collect(Collectors.joining(", "));
    }
}
