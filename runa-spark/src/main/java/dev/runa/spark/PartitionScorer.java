package dev.runa.spark;

import dev.runa.data.Box;
import dev.runa.image.DecodeOptions;
import dev.runa.image.ImageDecodeException;
import dev.runa.image.ImageDecoder;
import dev.runa.image.PixelImage;
import dev.runa.ood.BoxResult;
import dev.runa.ood.PreparedImage;
import dev.runa.ood.RunaDetector;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Scores one partition of detections, sorted so that the rows of an image are adjacent: each image
 * is read and decoded once, the boxes of {@code imagesPerBatch} consecutive images share encoder
 * calls (as in {@code runa score}), and every input row comes out once, with the score columns
 * appended. Only as many images as one batch holds are in memory at a time.
 *
 * <p>A row whose box or image is bad gets an {@code error} and no scores; the partition goes on.
 */
final class PartitionScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;

    private final RunaSparkSettings settings;
    private final InputLayout layout;
    private final HadoopFiles files;

    PartitionScorer(RunaSparkSettings settings, InputLayout layout, HadoopFiles files) {
        this.settings = settings;
        this.layout = layout;
        this.files = files;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        return new Scoring(input, ExecutorDetectors.get(settings));
    }

    /** One image of a batch: its rows, and per row either a box to score or an error. */
    private static final class ImageGroup {
        final List<Row> rows = new ArrayList<>();
        final List<Box> boxes = new ArrayList<>();
        final List<String> rowErrors = new ArrayList<>();
        String name;
        String imageError;
        PreparedImage prepared;
    }

    private final class Scoring implements Iterator<Row> {
        private final Iterator<Row> input;
        private final RunaDetector runa;
        private final List<String> classLabels;
        private final ArrayDeque<Row> ready = new ArrayDeque<>();
        private final InjectedFailure injectedFailure;
        private Row pending;
        private long emitted;

        Scoring(Iterator<Row> input, RunaDetector runa) {
            this.input = input;
            this.runa = runa;
            this.classLabels = runa.options().prompts().labels();
            this.injectedFailure = InjectedFailure.forThisTask(settings);
        }

        @Override
        public boolean hasNext() {
            if (ready.isEmpty()) {
                fill();
            }
            return !ready.isEmpty();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            injectedFailure.beforeEmitting(emitted);
            emitted++;
            return ready.poll();
        }

        // Reads the next batch of images from the input and scores it into `ready`.
        private void fill() {
            List<ImageGroup> batch = new ArrayList<>();
            while (batch.size() < settings.imagesPerBatch() && (pending != null || input.hasNext())) {
                batch.add(nextGroup());
            }
            if (batch.isEmpty()) {
                return;
            }
            List<PreparedImage> toScore = new ArrayList<>();
            for (ImageGroup g : batch) {
                prepare(g);
                if (g.prepared != null) {
                    toScore.add(g.prepared);
                }
            }
            List<List<BoxResult>> results = toScore.isEmpty() ? List.of() : runa.score(toScore);
            int k = 0;
            for (ImageGroup g : batch) {
                List<BoxResult> r = g.prepared != null ? results.get(k++) : null;
                int b = 0;
                for (int i = 0; i < g.rows.size(); i++) {
                    Object[] extra;
                    if (g.rowErrors.get(i) != null) {
                        extra = ScoreColumns.error(g.rowErrors.get(i));
                    } else if (g.imageError != null) {
                        extra = ScoreColumns.error(g.imageError);
                    } else {
                        extra = ScoreColumns.values(r.get(b++), classLabels);
                    }
                    ready.add(append(g.rows.get(i), extra));
                }
            }
        }

        // The adjacent rows of one image (a row with no image name is a group of its own).
        private ImageGroup nextGroup() {
            ImageGroup g = new ImageGroup();
            Row first = pending != null ? pending : input.next();
            pending = null;
            add(g, first);
            Object key = layout.key(first);
            while (key != null && input.hasNext()) {
                Row r = input.next();
                if (!InputLayout.sameImage(key, layout.key(r))) {
                    pending = r;
                    break;
                }
                add(g, r);
            }
            g.name = layout.name(first);
            if (key == null || g.name == null) {
                g.imageError = layout.inlineBytes() ? "image bytes are null" : "image path is null";
            }
            return g;
        }

        private void add(ImageGroup g, Row row) {
            g.rows.add(row);
            try {
                g.boxes.add(layout.box(row));
                g.rowErrors.add(null);
            } catch (IllegalArgumentException | ClassCastException e) {
                g.boxes.add(null);
                g.rowErrors.add(e.getMessage());
            }
        }

        // Decodes the image and builds the views of its good boxes; failures become the image's error.
        private void prepare(ImageGroup g) {
            List<Box> good = g.boxes.stream().filter(b -> b != null).toList();
            if (g.imageError != null || good.isEmpty()) {
                return;
            }
            try {
                byte[] bytes = layout.inlineBytes() ? layout.bytes(g.rows.get(0)) : files.read(g.name);
                PixelImage image = ImageDecoder.decode(bytes, g.name, DecodeOptions.DEFAULT);
                g.prepared = runa.prepare(g.name, image, good);
            } catch (ImageDecodeException e) {
                g.imageError = e.getMessage();
            } catch (OutOfMemoryError e) {
                // The same words as runa score's pipeline.
                g.imageError = g.name + ": image too large to decode in this JVM's memory";
            }
        }

        private Row append(Row row, Object[] extra) {
            Object[] values = new Object[row.size() + extra.length];
            for (int i = 0; i < row.size(); i++) {
                values[i] = row.get(i);
            }
            System.arraycopy(extra, 0, values, row.size(), extra.length);
            return RowFactory.create(values);
        }
    }
}
