package dev.runa.output;

import dev.runa.batch.DetectedBox;
import dev.runa.batch.ScoredImage;
import dev.runa.batch.ScoringJob;
import dev.runa.ood.BoxResult;
import java.util.ArrayList;
import java.util.List;

/**
 * One output row: a box, what the detector said about it, and what RUNA made of it.
 *
 * @param imageIndex position of the image in the run
 * @param boxIndex   position of the box in its image
 * @param nBoxes     number of boxes (rows) of the image
 * @param imageId    dataset image id, or null
 * @param file       the image file as given
 * @param detected   the box and the detector's category and confidence
 * @param result     scores, crop, decision or error
 * @param bestClass  label of the most similar ID class, or null when unscored
 */
public record BoxRow(
        int imageIndex,
        int boxIndex,
        int nBoxes,
        String imageId,
        String file,
        DetectedBox detected,
        BoxResult result,
        String bestClass) {

    /** The rows of one scored image, one per box in order; {@code classLabels} name the ID classes. */
    public static List<BoxRow> of(ScoredImage image, List<String> classLabels) {
        ScoringJob job = image.job();
        List<BoxRow> rows = new ArrayList<>(job.boxes().size());
        for (int b = 0; b < job.boxes().size(); b++) {
            BoxResult r = image.results().get(b);
            String best = r.scores() == null ? null : classLabels.get(r.scores().bestClass());
            rows.add(new BoxRow(
                    job.index(),
                    b,
                    job.boxes().size(),
                    job.imageId(),
                    job.file().toString(),
                    job.boxes().get(b),
                    r,
                    best));
        }
        return rows;
    }
}
