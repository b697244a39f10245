package dev.runa.eval;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where one benchmark test set lives: the VOS benchmark distributes every ID and OOD set as a
 * COCO-style JSON file (images, optional annotations, categories) plus an image folder, and the
 * detector's results on those images are a COCO results JSON.
 *
 * @param name       the set's name in reports, e.g. {@code voc} or {@code coco}
 * @param json       the COCO-style dataset file ({@link dev.runa.data.CocoDataset})
 * @param images     the folder that the JSON's {@code file_name}s are relative to
 * @param detections the detector's COCO results file ({@link dev.runa.data.CocoResults})
 */
public record BenchmarkSet(String name, Path json, Path images, Path detections) {
    public BenchmarkSet {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("a benchmark set needs a name");
        }
        Objects.requireNonNull(json, "set '" + name + "': dataset JSON");
        Objects.requireNonNull(images, "set '" + name + "': image folder");
        Objects.requireNonNull(detections, "set '" + name + "': detections JSON");
    }
}
