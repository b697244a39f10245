package dev.runa.cli;

import dev.runa.batch.BatchScorer;
import dev.runa.batch.ScoringJobs;
import dev.runa.data.Box;
import dev.runa.data.BoxText;
import dev.runa.io.Sha256;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Which boxes a run scores, shared by {@code score} and {@code calibrate}: one image with boxes on
 * the command line, or an image folder with a detector's COCO results and the COCO image list.
 */
final class BoxInputOptions {

    @Option(names = "--image", paramLabel = "FILE", description = "One image (JPEG or PNG), with --box")
    Path image;

    @Option(
            names = "--box",
            paramLabel = "x1,y1,x2,y2",
            description = "A box on --image in pixels (floats); repeatable")
    List<String> boxes = new ArrayList<>();

    @Option(
            names = "--images",
            paramLabel = "DIR",
            description = "Batch mode: folder the image list's file_names are in")
    Path imagesDir;

    @Option(
            names = "--detections",
            paramLabel = "FILE",
            description = "Batch mode: COCO results JSON [{image_id, category_id, bbox [x,y,w,h], score}]")
    Path detections;

    @Option(
            names = "--image-list",
            paramLabel = "FILE",
            description = "Batch mode: COCO-style JSON whose images map ids to file names (and categories name ids)")
    Path imageList;

    @Option(
            names = "--min-confidence",
            defaultValue = "0",
            paramLabel = "C",
            description =
                    "Batch mode: drop detections with a lower detector confidence (default: ${DEFAULT-VALUE}, keep all)")
    double minConfidence;

    @Option(
            names = "--workers",
            paramLabel = "N",
            description = "Image decoding and view threads, sharing the cores with the encoder's (default: one per"
                    + " 8 available processors, at least 1; see docs/performance.md)")
    int workers = BatchScorer.defaultWorkers(Runtime.getRuntime().availableProcessors());

    @Option(
            names = "--images-per-batch",
            defaultValue = "4",
            paramLabel = "N",
            description = "Images whose boxes share encoder calls (default: ${DEFAULT-VALUE})")
    int imagesPerBatch;

    boolean batch() {
        return image == null;
    }

    /** The jobs the options describe; errors say which option is missing or malformed. */
    ScoringJobs jobs() throws IOException {
        if (image != null) {
            if (imagesDir != null || detections != null || imageList != null) {
                throw new IllegalArgumentException(
                        "give either --image with --box, or --images, --detections and --image-list");
            }
            if (boxes.isEmpty()) {
                throw new IllegalArgumentException("--image needs at least one --box x1,y1,x2,y2");
            }
            List<Box> parsed = new ArrayList<>();
            for (String b : boxes) {
                parsed.add(parseBox(b));
            }
            return ScoringJobs.single(image, parsed);
        }
        if (imagesDir == null || detections == null || imageList == null) {
            throw new IllegalArgumentException("batch mode needs --images DIR, --detections FILE and --image-list FILE"
                    + " (or use --image FILE --box x1,y1,x2,y2)");
        }
        if (!boxes.isEmpty()) {
            throw new IllegalArgumentException("--box applies to --image only");
        }
        return ScoringJobs.fromCoco(imagesDir, detections, imageList, minConfidence);
    }

    /** What the inputs are, for a resumable output's settings record (files by content digest). */
    Map<String, String> describe() throws IOException {
        Map<String, String> m = new LinkedHashMap<>();
        if (image != null) {
            m.put("image", image.toAbsolutePath().toString());
            m.put("boxes", String.join(" ", boxes));
        } else {
            m.put("images", imagesDir.toAbsolutePath().toString());
            m.put("detections", Sha256.of(detections));
            m.put("image_list", Sha256.of(imageList));
            m.put("min_confidence", Double.toString(minConfidence));
        }
        return m;
    }

    static Box parseBox(String spec) {
        return BoxText.parse(spec, "--box " + spec);
    }
}
