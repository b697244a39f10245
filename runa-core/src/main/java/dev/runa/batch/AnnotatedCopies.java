package dev.runa.batch;

import dev.runa.image.DecodeOptions;
import dev.runa.image.ImageDecodeException;
import dev.runa.image.ImageDecoder;
import dev.runa.ood.BoxResult;
import dev.runa.ood.ScoreKind;
import dev.runa.render.AnnotatedBox;
import dev.runa.render.AnnotatedNames;
import dev.runa.render.BoxAnnotator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The annotated PNG copies a scoring run writes ({@code score}/{@code detect --annotate}): one per
 * image, its boxes drawn with their decision, named by {@link AnnotatedNames} so that no two inputs
 * share a picture. Names are fixed for the whole input list when this is made, so a resumed run
 * names its pictures as an uninterrupted one. Immutable; {@link #write} may be called from any thread.
 */
public final class AnnotatedCopies {
    private final Path dir;
    private final List<Path> names;
    private final List<String> classLabels;
    private final ScoreKind decisionScore;

    /**
     * @param dir           the folder the copies go to
     * @param root          the folder the inputs' names are mirrored from (the images folder)
     * @param files         every input image of the run, in order (resumed or not)
     * @param classLabels   the ID classes, to name a box that has no detector label by its best class
     * @param decisionScore the score whose value each box shows
     */
    public AnnotatedCopies(Path dir, Path root, List<Path> files, List<String> classLabels, ScoreKind decisionScore) {
        this.dir = dir;
        this.names = AnnotatedNames.assign(root, files);
        this.classLabels = List.copyOf(classLabels);
        this.decisionScore = decisionScore;
    }

    /** Where the copy of the image at {@code position} of the run's input list goes. */
    public Path target(int position) {
        return dir.resolve(names.get(position));
    }

    /**
     * Writes the annotated copy of a scored image (decoding its file again). An image that cannot
     * be decoded gets no copy: its rows already say why.
     */
    public void write(ScoredImage image, int position, DecodeOptions decode) throws IOException {
        List<AnnotatedBox> boxes = new ArrayList<>();
        for (int b = 0; b < image.results().size(); b++) {
            BoxResult r = image.results().get(b);
            String label = image.job().boxes().get(b).label();
            String name = label != null
                    ? label
                    : r.scores() == null ? null : classLabels.get(r.scores().bestClass());
            boxes.add(AnnotatedBox.of(r, name, decisionScore));
        }
        Path target = target(position);
        try {
            var pixels = ImageDecoder.decode(image.job().file(), decode);
            Files.createDirectories(target.toAbsolutePath().getParent());
            BoxAnnotator.write(pixels, boxes, target);
        } catch (ImageDecodeException e) {
            // Already reported in the rows; there is nothing to draw on.
        }
    }
}
