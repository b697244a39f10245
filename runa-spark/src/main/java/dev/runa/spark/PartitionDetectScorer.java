package dev.runa.spark;

import dev.runa.data.Box;
import dev.runa.detect.DetectedObject;
import dev.runa.detect.ObjectDetector;
import dev.runa.image.PixelImage;
import dev.runa.ood.BoxResult;
import dev.runa.ood.PreparedImage;
import dev.runa.ood.RunaDetector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

/**
 * Detects and scores one partition of images (one input row per image): each image is read and
 * decoded once, and that one decoded image feeds the object detector and RUNA's views, as in
 * {@code runa detect}. The boxes of {@code imagesPerBatch} consecutive images with detections share
 * encoder calls. Every detected object becomes a row (the image's input columns, then
 * {@link DetectionColumns}, then {@link ScoreColumns}); an image without detections gives no row;
 * an image that cannot be read gives one row with its {@code error}, and the partition goes on.
 * Only one batch of prepared images is in memory at a time.
 */
final class PartitionDetectScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final RunaSparkSettings settings;
    private final DetectSettings detect;
    private final InputLayout layout;
    private final HadoopFiles files;
    private final RowImages images;

    PartitionDetectScorer(RunaSparkSettings settings, DetectSettings detect, InputLayout layout, HadoopFiles files) {
        this.settings = settings;
        this.detect = detect;
        this.layout = layout;
        this.files = files;
        this.images = new RowImages(layout, files);
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        return new Detecting(
                input,
                ExecutorDetectors.objectDetector(detect, settings.threadsPerTask(), files),
                ExecutorDetectors.get(settings));
    }

    /** One image: its input row, its detections and their prepared views, or why it could not be read. */
    private record Image(Row row, List<DetectedObject> objects, PreparedImage prepared, String error) {}

    private final class Detecting extends RowBatches {
        private final Iterator<Row> input;
        private final ObjectDetector detector;
        private final RunaDetector runa;
        private final List<String> classLabels;

        Detecting(Iterator<Row> input, ObjectDetector detector, RunaDetector runa) {
            super(settings);
            this.input = input;
            this.detector = detector;
            this.runa = runa;
            this.classLabels = runa.options().prompts().labels();
        }

        @Override
        boolean inputLeft() {
            return input.hasNext();
        }

        // Reads images until imagesPerBatch of them have detections, then scores those together.
        @Override
        void fill() {
            List<Image> batch = new ArrayList<>();
            List<PreparedImage> toScore = new ArrayList<>();
            while (toScore.size() < settings.imagesPerBatch() && input.hasNext()) {
                Image image = detect(input.next());
                batch.add(image);
                if (image.prepared() != null) {
                    toScore.add(image.prepared());
                }
            }
            List<List<BoxResult>> results = toScore.isEmpty() ? List.of() : runa.score(toScore);
            int k = 0;
            for (Image image : batch) {
                if (image.error() != null) {
                    emit(appended(image.row(), DetectionColumns.none(), ScoreColumns.error(image.error())));
                    continue;
                }
                if (image.prepared() == null) {
                    continue; // nothing detected: no rows, as runa detect
                }
                List<BoxResult> r = results.get(k++);
                int n = image.objects().size();
                for (int b = 0; b < n; b++) {
                    emit(appended(
                            image.row(),
                            DetectionColumns.values(image.objects().get(b), b, n),
                            ScoreColumns.values(r.get(b), classLabels)));
                }
            }
        }

        // Decode once, detect, and build RUNA's views from the same pixels (DetectAndScore's worker step).
        private Image detect(Row row) {
            String missing = images.missing(row);
            if (missing != null) {
                return new Image(row, List.of(), null, missing);
            }
            String name = layout.name(row);
            RowImages.Decoded d = images.decode(row, name);
            if (d.error() != null) {
                return new Image(row, List.of(), null, d.error());
            }
            PixelImage pixels = d.image();
            List<DetectedObject> objects = detector.detect(pixels);
            if (objects.isEmpty()) {
                return new Image(row, objects, null, null);
            }
            List<Box> boxes = objects.stream().map(DetectedObject::box).toList();
            return new Image(row, objects, runa.prepare(name, pixels, boxes), null);
        }
    }
}
