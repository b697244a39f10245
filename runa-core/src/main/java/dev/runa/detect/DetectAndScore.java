package dev.runa.detect;

import dev.runa.batch.DetectedBox;
import dev.runa.batch.ScoredImage;
import dev.runa.batch.ScoringJob;
import dev.runa.data.Box;
import dev.runa.data.LabelSet;
import dev.runa.image.DecodeOptions;
import dev.runa.image.ImageDecodeException;
import dev.runa.image.ImageDecoder;
import dev.runa.image.PixelImage;
import dev.runa.ood.BoxResult;
import dev.runa.ood.PreparedImage;
import dev.runa.ood.RunaDetector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The detector in the loop: images in, detections with RUNA scores out. Worker threads decode each
 * image once and use that one decoded image for the detector and for RUNA's views; the calling
 * thread runs RUNA's encoder on fixed groups of {@code imagesPerBatch} consecutive images that have
 * detections, exactly as {@code runa score} groups the same boxes read from a COCO results file, so
 * both give the same numbers. At most {@code max(2 * imagesPerBatch, workers)} images are in flight.
 *
 * <p>Holds but does not own the detector and RUNA (the caller closes them); {@link #run} may be
 * called from one thread at a time per instance, and instances may share the detector and RUNA.
 *
 * @param detector       the object detector
 * @param runa           RUNA over the detector's ID classes (see {@link #idClasses})
 * @param decode         image decoding options
 * @param workers        decode + detect threads
 * @param imagesPerBatch images with detections whose views share encoder calls
 */
public record DetectAndScore(
        ObjectDetector detector, RunaDetector runa, DecodeOptions decode, int workers, int imagesPerBatch) {

    /** Receives each image, in input order, on the thread that called {@link #run}. */
    @FunctionalInterface
    public interface Sink {
        void accept(DetectedImage image) throws IOException;
    }

    public DetectAndScore {
        if (workers < 1 || imagesPerBatch < 1) {
            throw new IllegalArgumentException(
                    "workers and images per batch must be >= 1, got " + workers + " and " + imagesPerBatch);
        }
    }

    /**
     * RUNA's ID classes for a detector: its own class names when {@code requested} is null (the ID
     * set of a detector is what it was trained on), else {@code requested}, which must have as
     * many classes as the detector's output encodes.
     *
     * @throws DetectorException when the detector has no names and none are requested, or the counts differ
     */
    public static LabelSet idClasses(DetectorGraph graph, String source, LabelSet requested) {
        if (requested == null) {
            if (graph.classNames().isEmpty()) {
                throw new DetectorException(source + " has no class names (no 'names' metadata): give the"
                        + " detector's ID classes explicitly, in its class order");
            }
            return LabelSet.of("detector", graph.classNames());
        }
        if (graph.classCount() >= 0 && graph.classCount() != requested.size()) {
            throw new DetectorException(source + " detects " + graph.classCount() + " classes"
                    + (graph.classNames().isEmpty() ? "" : " (" + preview(graph.classNames()) + ")")
                    + " but the ID class list '" + requested.name() + "' has " + requested.size()
                    + ": the ID classes must be the detector's, one per class index");
        }
        return requested;
    }

    private static String preview(List<String> names) {
        return names.size() <= 4
                ? String.join(", ", names)
                : String.join(", ", names.subList(0, 3)) + ", ... " + names.get(names.size() - 1);
    }

    private record Work(int position, Path file, Future<Detected> future) {}

    private record Detected(
            int width, int height, List<DetectedObject> objects, PreparedImage prepared, String error) {}

    // A finished image waiting for its encoder group; job and prepared are null when it needs no scores.
    private record Pending(DetectedImage image, ScoringJob job, PreparedImage prepared) {}

    /**
     * Detects and scores every file, calling {@code sink} once per file in order.
     *
     * @param files       the images
     * @param resumeAfter images with detections that an earlier run already scored: they are
     *                    detected again (their detections are reported) but not scored; a multiple
     *                    of {@code imagesPerBatch} keeps the encoder groups of an uninterrupted run
     * @throws IOException when the sink fails; an unreadable image is reported, never thrown
     */
    public void run(List<Path> files, int resumeAfter, Sink sink) throws IOException {
        int lookahead = Math.max(2 * imagesPerBatch, workers);
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "runa-detect");
            t.setDaemon(true);
            return t;
        });
        try {
            Deque<Work> queue = new ArrayDeque<>();
            int next = 0;
            int boxed = 0; // images with detections so far: the next one's job index
            List<Pending> pending = new ArrayList<>();
            int groupSize = 0;
            while (next < files.size() || !queue.isEmpty()) {
                while (next < files.size() && queue.size() < lookahead) {
                    int pos = next++;
                    Path f = files.get(pos);
                    queue.add(new Work(pos, f, pool.submit(() -> detect(f))));
                }
                Work w = queue.poll();
                Detected d = await(w);
                DetectedImage image =
                        new DetectedImage(w.position(), w.file(), d.width(), d.height(), d.objects(), null, d.error());
                if (d.prepared() != null) {
                    int index = boxed++;
                    if (index >= resumeAfter) {
                        pending.add(new Pending(image, job(index, w, d.objects()), d.prepared()));
                        groupSize++;
                    } else {
                        pending.add(new Pending(image, null, null));
                    }
                } else {
                    pending.add(new Pending(image, null, null));
                }
                if (groupSize == imagesPerBatch) {
                    flush(pending, sink);
                    groupSize = 0;
                }
            }
            flush(pending, sink);
        } finally {
            pool.shutdownNow();
        }
    }

    /** The scoring job of an image with detections, as {@code runa score} builds it from a COCO results file. */
    private static ScoringJob job(int index, Work w, List<DetectedObject> objects) {
        List<DetectedBox> boxes = new ArrayList<>(objects.size());
        for (DetectedObject o : objects) {
            boxes.add(new DetectedBox(o.box(), o.classIndex(), o.label(), (double) o.score()));
        }
        return new ScoringJob(index, imageId(w.position()), w.file(), boxes);
    }

    /** The image id a run gives the image at {@code position} (1-based, as COCO ids usually are). */
    public static String imageId(int position) {
        return Integer.toString(position + 1);
    }

    private void flush(List<Pending> pending, Sink sink) throws IOException {
        List<PreparedImage> group = new ArrayList<>();
        for (Pending p : pending) {
            if (p.prepared() != null) {
                group.add(p.prepared());
            }
        }
        List<List<BoxResult>> results = group.isEmpty() ? List.of() : runa.score(group);
        int k = 0;
        for (Pending p : pending) {
            DetectedImage img = p.image();
            if (p.prepared() != null) {
                ScoredImage scored = new ScoredImage(p.job(), results.get(k++));
                img = new DetectedImage(
                        img.position(), img.file(), img.width(), img.height(), img.objects(), scored, null);
            }
            sink.accept(img);
        }
        pending.clear();
    }

    // Worker thread: decode once, detect, and build RUNA's views from the same pixels.
    private Detected detect(Path file) {
        PixelImage image;
        try {
            image = ImageDecoder.decode(file, decode);
        } catch (ImageDecodeException e) {
            return new Detected(0, 0, List.of(), null, e.getMessage());
        } catch (OutOfMemoryError e) {
            return new Detected(0, 0, List.of(), null, file + ": image too large to decode in this JVM's memory");
        }
        List<DetectedObject> objects = detector.detect(image);
        if (objects.isEmpty()) {
            return new Detected(image.width(), image.height(), objects, null, null);
        }
        List<Box> boxes = objects.stream().map(DetectedObject::box).toList();
        PreparedImage prepared = runa.prepare(file.toString(), image, boxes);
        return new Detected(image.width(), image.height(), objects, prepared, null);
    }

    private static Detected await(Work w) {
        try {
            return w.future().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while detecting on " + w.file(), e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("detecting on " + w.file() + " failed: " + c, c);
        }
    }
}
