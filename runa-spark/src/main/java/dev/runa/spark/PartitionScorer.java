package dev.runa.spark;

import dev.runa.data.Box;
import dev.runa.ood.BoxResult;
import dev.runa.ood.PreparedImage;
import dev.runa.ood.RunaDetector;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;

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
    private final RowImages images;

    PartitionScorer(RunaSparkSettings settings, InputLayout layout, HadoopFiles files) {
        this.settings = settings;
        this.layout = layout;
        this.images = new RowImages(layout, files);
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

    private final class Scoring extends RowBatches {
        private final Iterator<Row> input;
        private final RunaDetector runa;
        private final List<String> classLabels;
        private Row pending;

        Scoring(Iterator<Row> input, RunaDetector runa) {
            super(settings);
            this.input = input;
            this.runa = runa;
            this.classLabels = runa.options().prompts().labels();
        }

        @Override
        boolean inputLeft() {
            return pending != null || input.hasNext();
        }

        // Reads the next batch of images from the input and scores it.
        @Override
        void fill() {
            List<ImageGroup> batch = new ArrayList<>();
            while (batch.size() < settings.imagesPerBatch() && inputLeft()) {
                batch.add(nextGroup());
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
                    emit(appended(g.rows.get(i), extra));
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
            g.imageError = images.missing(first);
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
            RowImages.Decoded d = images.decode(g.rows.get(0), g.name);
            if (d.error() != null) {
                g.imageError = d.error();
            } else {
                g.prepared = runa.prepare(g.name, d.image(), good);
            }
        }
    }
}
