package dev.runa.spark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.testing.TinyCheckpoints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Test data shared by the module's tests, made once per JVM: a tiny generated CLIP checkpoint, an
 * image folder (good PNG and JPEG images, a corrupt one, one listed but missing), a COCO image list
 * and COCO detector results with a degenerate box, a box outside its image and a low-confidence box.
 */
public final class SparkFixture {
    public static final ObjectMapper JSON = new ObjectMapper();
    public static final String CLASSES = "person,dog,car";

    public final Path root;
    public final Path model;
    public final Path images;
    public final Path imageList;
    public final Path detections;

    private static SparkFixture instance;

    private SparkFixture(Path root) throws IOException {
        this.root = root;
        this.model = TinyCheckpoints.write(root.resolve("model"), 7);
        this.images = Files.createDirectories(root.resolve("images"));
        picture(images, "a.png", 64, 48, 1, "png");
        picture(images, "b.jpg", 50, 70, 2, "jpg");
        picture(images, "c.png", 40, 40, 3, "png");
        picture(images, "e.png", 80, 60, 4, "png");
        picture(images, "f.jpg", 30, 90, 5, "jpg");
        Files.write(images.resolve("d.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 9, 9, 9});
        ObjectNode list = JSON.createObjectNode();
        ArrayNode imgs = list.putArray("images");
        String[] files = {"a.png", "b.jpg", "c.png", "d.png", "missing.png", "a.png", "e.png", "f.jpg"};
        for (int i = 0; i < files.length; i++) {
            imgs.addObject()
                    .put("id", 100 + i)
                    .put("file_name", files[i])
                    .put("width", 10)
                    .put("height", 10);
        }
        ArrayNode cats = list.putArray("categories");
        cats.addObject().put("id", 1).put("name", "person");
        cats.addObject().put("id", 2).put("name", "dog");
        imageList = root.resolve("list.json");
        JSON.writeValue(imageList.toFile(), list);
        ArrayNode dets = JSON.createArrayNode();
        det(dets, 100, 1, new double[] {2, 3, 30, 20}, 0.9);
        det(dets, 101, 2, new double[] {5, 5, 20, 40}, 0.8);
        det(dets, 100, 2, new double[] {10.5, 4.25, 40, 30}, 0.7);
        det(dets, 100, 1, new double[] {20, 20, 0, 10}, 0.95); // zero width: degenerate
        det(dets, 102, 1, new double[] {1, 1, 30, 30}, 0.6);
        det(dets, 102, 1, new double[] {0, 0, 10, 10}, 0.05); // below --min-confidence 0.1
        det(dets, 103, 1, new double[] {1, 1, 5, 5}, 0.9); // corrupt image
        det(dets, 104, 2, new double[] {1, 1, 5, 5}, 0.9); // missing image
        det(dets, 101, 1, new double[] {500, 500, 20, 20}, 0.9); // outside the image
        det(dets, 102, 2, new double[] {3, 3, 20, 20}, 0.5);
        det(dets, 105, 2, new double[] {30, 10, 25, 30}, 0.4); // a.png again, under another id
        for (int i = 0; i < 9; i++) {
            det(dets, 106, 1 + i % 2, new double[] {2 + 5 * i, 3 + 2 * i, 20 + i, 15 + i}, 0.2 + 0.07 * i);
            det(dets, 107, 1 + i % 2, new double[] {1 + i, 4 * i, 12 + i, 20 + i}, 0.3 + 0.05 * i);
        }
        detections = root.resolve("dets.json");
        JSON.writeValue(detections.toFile(), dets);
    }

    /** The fixture, made on first use in a temporary folder. */
    public static synchronized SparkFixture get() {
        if (instance == null) {
            try {
                Path root = Files.createTempDirectory("runa-spark-test");
                root.toFile().deleteOnExit();
                instance = new SparkFixture(root);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return instance;
    }

    /** A fresh folder for one test's outputs. */
    public Path tempDir(String name) throws IOException {
        return Files.createTempDirectory(root, name);
    }

    static void picture(Path dir, String name, int w, int h, long seed, String format) throws IOException {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int base = r.nextInt(0xffffff);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int v = ((x / 8 + y / 8) % 2 == 0 ? base : ~base) ^ r.nextInt(32);
                img.setRGB(x, y, v & 0xffffff);
            }
        }
        ImageIO.write(img, format, dir.resolve(name).toFile());
    }

    private static void det(ArrayNode dets, int image, int cat, double[] xywh, double score) {
        ObjectNode d =
                dets.addObject().put("image_id", image).put("category_id", cat).put("score", score);
        ArrayNode b = d.putArray("bbox");
        for (double v : xywh) {
            b.add(v);
        }
    }
}
