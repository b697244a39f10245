package dev.runa.batch;

import dev.runa.ood.BoxResult;
import java.util.List;

/**
 * One image of a run, scored: one result per job box, in job order.
 *
 * @param job     the image and its boxes
 * @param results scores or errors, one per box
 */
public record ScoredImage(ScoringJob job, List<BoxResult> results) {
    public ScoredImage {
        results = List.copyOf(results);
        if (results.size() != job.boxes().size()) {
            throw new IllegalArgumentException("image " + job.file() + ": " + results.size() + " results for "
                    + job.boxes().size() + " boxes");
        }
    }

    /** Boxes that could not be scored (degenerate, or the image unreadable). */
    public long errors() {
        return results.stream().filter(r -> !r.ok()).count();
    }
}
