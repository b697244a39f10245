package dev.runa.batch;

import dev.runa.data.Box;
import dev.runa.data.CocoDataset;
import dev.runa.data.CocoResults;
import dev.runa.data.Detection;
import dev.runa.data.MalformedDataException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The images and boxes of one run.
 *
 * @param jobs     images with at least one box, in image-list order
 * @param boxes    boxes kept
 * @param filtered detections dropped by the confidence threshold
 * @param unlisted detections on images the image list does not have, skipped (as {@code eval} does)
 */
public record ScoringJobs(List<ScoringJob> jobs, int boxes, int filtered, int unlisted) {
    public ScoringJobs {
        jobs = List.copyOf(jobs);
    }

    /** A run without unlisted detections. */
    public ScoringJobs(List<ScoringJob> jobs, int boxes, int filtered) {
        this(jobs, boxes, filtered, 0);
    }

    /** One image with boxes given by hand. */
    public static ScoringJobs single(Path image, List<Box> boxes) {
        return new ScoringJobs(
                List.of(new ScoringJob(
                        0, null, image, boxes.stream().map(DetectedBox::of).toList())),
                boxes.size(),
                0);
    }

    /**
     * A detector's COCO results over a COCO image list. Images come in image-list order (those
     * without a kept detection are skipped), boxes in results-file order; category names come from
     * the list's {@code categories} when it has them.
     *
     * @param imagesDir     folder the list's {@code file_name}s are relative to
     * @param detections    COCO results: {@code [{image_id, category_id, bbox [x, y, w, h], score}]}
     * @param imageList     COCO-style JSON whose {@code images} map ids to files
     * @param minConfidence detections scoring below it are dropped (0 keeps all)
     * @throws MalformedDataException when a file is malformed
     */
    public static ScoringJobs fromCoco(Path imagesDir, Path detections, Path imageList, double minConfidence)
            throws IOException {
        if (!Double.isFinite(minConfidence)) {
            throw new IllegalArgumentException(
                    "minimum confidence must be a finite number, got " + minConfidence + " (NaN would keep every box)");
        }
        CocoDataset list = CocoDataset.read(imageList);
        Map<Integer, String> names = new HashMap<>();
        for (CocoDataset.Category c : list.categories()) {
            names.put(c.id(), c.name());
        }
        Map<String, List<DetectedBox>> perImage = new LinkedHashMap<>();
        for (CocoDataset.Image img : list.images()) {
            perImage.put(img.id(), new ArrayList<>());
        }
        List<Detection> dets = CocoResults.read(detections);
        int filtered = 0;
        int kept = 0;
        int unlisted = 0;
        for (int i = 0; i < dets.size(); i++) {
            Detection d = dets.get(i);
            List<DetectedBox> boxes = perImage.get(d.imageId());
            if (boxes == null) {
                unlisted++; // as eval: a detection on an image the list lacks is skipped and counted
                continue;
            }
            if (d.score() < minConfidence) {
                filtered++;
                continue;
            }
            boxes.add(new DetectedBox(d.box(), d.categoryId(), names.get(d.categoryId()), d.score()));
            kept++;
        }
        List<ScoringJob> jobs = new ArrayList<>();
        for (CocoDataset.Image img : list.images()) {
            List<DetectedBox> boxes = perImage.get(img.id());
            if (!boxes.isEmpty()) {
                jobs.add(new ScoringJob(jobs.size(), img.id(), imagesDir.resolve(img.fileName()), boxes));
            }
        }
        return new ScoringJobs(jobs, kept, filtered, unlisted);
    }
}
