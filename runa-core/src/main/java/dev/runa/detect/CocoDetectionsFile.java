package dev.runa.detect;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.runa.io.AtomicFile;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;

/**
 * Writes a detection run as the two files {@code runa score --detections F --image-list L} reads:
 * a COCO results JSON ({@code [{image_id, category_id, bbox [x, y, w, h], score}]}, category id =
 * the detector's class index) and a COCO-style image list ({@code images} with ids, file names
 * relative to the images folder and sizes; {@code categories} naming the class indices).
 * Image ids are {@link DetectAndScore#imageId}. Boxes are written so that reading them back gives
 * the same doubles ({@code x + (x2 - x1) == x2} for the float32 values detectors produce). Both
 * files are written atomically. Not thread-safe; one writer per run.
 */
public final class CocoDetectionsFile {
    private static final JsonFactory JSON = new JsonFactory();

    private CocoDetectionsFile() {}

    /**
     * Writes both files.
     *
     * @param results    the COCO results file
     * @param imageList  the image list file
     * @param imagesDir  folder the image list's file names are relative to (null: absolute paths)
     * @param images     every image of the run, in run order (images without detections are listed too)
     * @param classNames the detector's class names by index (indices past the end are named {@code class N})
     */
    public static void write(
            Path results, Path imageList, Path imagesDir, List<DetectedImage> images, List<String> classNames)
            throws IOException {
        TreeMap<Integer, String> categories = new TreeMap<>();
        for (int i = 0; i < classNames.size(); i++) {
            categories.put(i, classNames.get(i));
        }
        ByteArrayOutputStream res = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(res, JsonEncoding.UTF8)) {
            g.writeStartArray();
            for (DetectedImage img : images) {
                for (DetectedObject o : img.objects()) {
                    categories.putIfAbsent(o.classIndex(), o.label());
                    g.writeStartObject();
                    g.writeNumberField("image_id", img.position() + 1L);
                    g.writeNumberField("category_id", o.classIndex());
                    g.writeArrayFieldStart("bbox");
                    g.writeNumber(o.box().x1());
                    g.writeNumber(o.box().y1());
                    g.writeNumber(o.box().x2() - o.box().x1());
                    g.writeNumber(o.box().y2() - o.box().y1());
                    g.writeEndArray();
                    g.writeNumberField("score", (double) o.score());
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
        }
        ByteArrayOutputStream list = new ByteArrayOutputStream();
        try (JsonGenerator g = JSON.createGenerator(list, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeArrayFieldStart("images");
            for (DetectedImage img : images) {
                g.writeStartObject();
                g.writeNumberField("id", img.position() + 1L);
                Path f = img.file();
                String name = imagesDir != null && f.startsWith(imagesDir)
                        ? imagesDir.relativize(f).toString()
                        : f.toAbsolutePath().toString();
                g.writeStringField("file_name", name);
                g.writeNumberField("width", img.width());
                g.writeNumberField("height", img.height());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("categories");
            for (var e : categories.entrySet()) {
                g.writeStartObject();
                g.writeNumberField("id", e.getKey());
                g.writeStringField("name", e.getValue());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        AtomicFile.write(results, res.toByteArray());
        AtomicFile.write(imageList, list.toByteArray());
    }

    /** The image list written next to a results file {@code F.json}: {@code F.images.json}. */
    public static Path imageListFor(Path results) {
        String name = results.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return results.resolveSibling(stem + ".images.json");
    }
}
