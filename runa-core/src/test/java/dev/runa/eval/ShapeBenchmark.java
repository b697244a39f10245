package dev.runa.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * A tiny generated benchmark in the VOS layout: an ID set of coloured squares and circles (with
 * ground truth), OOD sets of triangles and of crosses, COCO-style JSONs, and detector results with
 * per-box logits: boxes on the shapes, a false positive on an ID image, low-confidence boxes, and a
 * box on an image the dataset file does not list.
 */
public final class ShapeBenchmark {
    /** Categories of the ID set: 1 square, 2 circle. */
    public static final List<String> CLASSES = List.of("square", "circle");
    /** Confidence of the low boxes (below any threshold the tests use). */
    public static final double LOW = 0.1;

    /** The generated files of one set and the detections written (for checks). */
    public record GeneratedSet(BenchmarkSet set, int listedDetections, int aboveHalf) {}

    private ShapeBenchmark() {}

    /** ID set: {@code n} images with ground truth; image ids are integers. */
    public static GeneratedSet id(Path root, int n, long seed) throws IOException {
        return write(root, "id", n, seed, true);
    }

    /** OOD set of {@code shape} ("triangle" or "cross"); image ids are strings. */
    public static GeneratedSet ood(Path root, String shape, int n, long seed) throws IOException {
        return write(root, shape, n, seed, false);
    }

    private static GeneratedSet write(Path root, String kind, int n, long seed, boolean isId) throws IOException {
        ObjectMapper om = new ObjectMapper();
        Path dir = root.resolve(kind);
        Path images = dir.resolve("images");
        Files.createDirectories(images);
        Random rnd = new Random(seed);
        ObjectNode gt = om.createObjectNode();
        ArrayNode imgs = gt.putArray("images");
        ArrayNode anns = gt.putArray("annotations");
        ArrayNode cats = gt.putArray("categories");
        cats.addObject().put("id", 1).put("name", CLASSES.get(0));
        cats.addObject().put("id", 2).put("name", CLASSES.get(1));
        ArrayNode results = om.createArrayNode();
        int listed = 0;
        int aboveHalf = 0;
        int annId = 1;
        for (int i = 0; i < n; i++) {
            int w = 64 + 8 * (i % 3);
            int h = 48 + 4 * (i % 2);
            BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = img.createGraphics();
            g.setColor(new Color(200 + rnd.nextInt(40), 200 + rnd.nextInt(40), 200 + rnd.nextInt(40)));
            g.fillRect(0, 0, w, h);
            int shapes = 1 + i % 2;
            List<int[]> boxes = new ArrayList<>();
            for (int s = 0; s < shapes; s++) {
                int size = 14 + rnd.nextInt(10);
                int x = s * (w / 2) + rnd.nextInt(Math.max(1, w / 2 - size));
                int y = rnd.nextInt(h - size);
                g.setColor(new Color(rnd.nextInt(200), rnd.nextInt(200), rnd.nextInt(200)));
                int cat = 1 + rnd.nextInt(2);
                switch (isId ? (cat == 1 ? "square" : "circle") : kind) {
                    case "square" -> g.fillRect(x, y, size, size);
                    case "circle" -> g.fillOval(x, y, size, size);
                    case "triangle" ->
                        g.fillPolygon(new int[] {x, x + size, x + size / 2}, new int[] {y + size, y + size, y}, 3);
                    default -> {
                        g.fillRect(x + size / 3, y, size / 3, size);
                        g.fillRect(x, y + size / 3, size, size / 3);
                    }
                }
                boxes.add(new int[] {x, y, size, cat});
            }
            g.dispose();
            String file = kind + "_" + i + ".png";
            ImageIO.write(img, "png", images.resolve(file).toFile());
            ObjectNode im = imgs.addObject();
            if (isId) {
                im.put("id", i + 1);
            } else {
                im.put("id", kind + "_" + i);
            }
            im.put("file_name", file).put("width", w).put("height", h);
            for (int[] b : boxes) {
                if (isId) {
                    ObjectNode a = anns.addObject();
                    a.put("id", annId++)
                            .put("image_id", i + 1)
                            .put("category_id", b[3])
                            .put("iscrowd", 0);
                    a.putArray("bbox").add(b[0]).add(b[1]).add(b[2]).add(b[2]);
                }
                double conf = 0.55 + 0.4 * rnd.nextDouble();
                detection(
                        results,
                        im,
                        b[3],
                        b[0] + 0.7 * rnd.nextDouble(),
                        b[1] + 0.3,
                        b[2] - 0.4,
                        b[2] + 0.2,
                        conf,
                        rnd);
                listed++;
                aboveHalf++;
            }
            // A box below every threshold used in the tests.
            detection(results, im, 1, 2.5, 3.5, 20, 15, LOW, rnd);
            listed++;
            if (isId && i == 0) {
                // A false positive on an ID image: kept, and counted as ID.
                detection(results, im, 2, w - 20.5, h - 18.25, 18, 16, 0.8, rnd);
                listed++;
                aboveHalf++;
            }
        }
        // A detection on an image the dataset file does not list (ignored by selection).
        ObjectNode stray = om.createObjectNode();
        stray.put("id", isId ? 999 : 0);
        if (!isId) {
            stray.put("id", kind + "_unlisted");
        }
        detection(results, stray, 1, 1, 1, 10, 10, 0.99, rnd);

        Path gtFile = dir.resolve(kind + ".json");
        om.writerWithDefaultPrettyPrinter().writeValue(gtFile.toFile(), gt);
        Path resFile = dir.resolve(kind + "_results.json");
        om.writeValue(resFile.toFile(), results);
        return new GeneratedSet(new BenchmarkSet(isId ? "shapes" : kind, gtFile, images, resFile), listed, aboveHalf);
    }

    private static void detection(
            ArrayNode results,
            ObjectNode image,
            int cat,
            double x,
            double y,
            double w,
            double h,
            double score,
            Random rnd) {
        ObjectNode d = results.addObject();
        d.set("image_id", image.get("id"));
        d.put("category_id", cat).put("score", score);
        d.putArray("bbox").add(x).add(y).add(w).add(h);
        // K + 1 logits, background last, as Detectron2's inter_feat in the VOS code.
        ArrayNode logits = d.putArray("inter_feat");
        for (int k = 0; k < 3; k++) {
            logits.add(Math.round(rnd.nextGaussian() * 1000) / 1000.0);
        }
    }
}
