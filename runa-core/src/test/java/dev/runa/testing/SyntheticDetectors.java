package dev.runa.testing;

import dev.runa.onnx.Dim;
import dev.runa.onnx.ElementType;
import dev.runa.onnx.GraphBuilder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/**
 * Tiny ONNX detectors of every supported output format, built with the project's ONNX writer, whose
 * outputs are simple known functions of the input, so tests can say exactly what must be detected.
 *
 * <p>Every graph looks at a 64 x 64 RGB input as an 8 x 8 grid of 8-pixel cells (anchor
 * {@code gy * 8 + gx}) and computes each cell's mean per channel, {@code m_c} (AveragePool).
 * Classes are {@code red, green, blue} (channel order). Per anchor:
 *
 * <ul>
 *   <li>box: the cell grown by 4 pixels on each side, {@code (gx*8 - 4, gy*8 - 4, gx*8 + 12, gy*8 + 12)}
 *       in input pixels (cx = gx*8 + 4, w = 16), whatever the input;
 *   <li>class scores {@code m_c * m_c} (YOLOv8, end-to-end, RT-DETR); YOLOv5 gives objectness
 *       {@code max_c m_c} and class scores {@code m_c}, so its confidence {@code m_c * max m} is the
 *       same for a pure colour; torchvision gives {@code max_c m_c} and its argmax.
 * </ul>
 *
 * Ultralytics' grey padding (114/255 = 0.447) scores 0.2, under the default confidence 0.25.
 */
public final class SyntheticDetectors {
    public static final int SIZE = 64;
    public static final int CELL = 8;
    public static final int GRID = SIZE / CELL;
    public static final int ANCHORS = GRID * GRID;
    public static final String NAMES = "{0: 'red', 1: 'green', 2: 'blue'}";

    private SyntheticDetectors() {}

    /** The formats, by the names users give them. */
    public enum Kind {
        YOLOV8,
        YOLOV5,
        END2END,
        RTDETR,
        TORCHVISION
    }

    /** Writes the graph of {@code kind} to {@code file}; {@code names} adds the class-name metadata. */
    public static Path write(Path file, Kind kind, boolean names) throws IOException {
        Files.write(file, bytes(kind, names));
        return file;
    }

    /** The serialised model. */
    public static byte[] bytes(Kind kind, boolean names) {
        GraphBuilder g = new GraphBuilder("synthetic-" + kind.name().toLowerCase(java.util.Locale.ROOT));
        if (names) {
            g.metadata("names", NAMES);
            g.metadata("description", "synthetic test detector (" + kind + ")");
        }
        String x = kind == Kind.TORCHVISION
                ? g.unsqueeze(g.input("images", ElementType.FLOAT, Dim.of(3), Dim.symbolic("h"), Dim.symbolic("w")), 0)
                : g.input("images", ElementType.FLOAT, Dim.of(1), Dim.of(3), Dim.of(SIZE), Dim.of(SIZE));
        String m = g.reshape(g.averagePool(x, CELL, CELL), 1, 3, ANCHORS); // [1, 3, A]
        String sq = g.mul(m, m);
        switch (kind) {
            case YOLOV8 -> {
                g.identity(g.concat(1, cxcywh(g, 1f), sq), "output0");
                g.output("output0", ElementType.FLOAT, Dim.of(1), Dim.of(7), Dim.of(ANCHORS));
            }
            case YOLOV5 -> {
                String obj = g.reduceMaxKeep(m, 1);
                String rows = g.concat(1, cxcywh(g, 1f), obj, m); // [1, 8, A]
                g.identity(g.transpose(rows, 0, 2, 1), "output0");
                g.output("output0", ElementType.FLOAT, Dim.of(1), Dim.of(ANCHORS), Dim.of(8));
            }
            case END2END -> {
                String score = g.reduceMaxKeep(sq, 1);
                String cls = g.cast(g.argMax(sq, 1, true), ElementType.FLOAT);
                String rows = g.concat(1, xyxy(g), score, cls); // [1, 6, A]
                g.identity(g.transpose(rows, 0, 2, 1), "output0");
                g.output("output0", ElementType.FLOAT, Dim.of(1), Dim.of(ANCHORS), Dim.of(6));
            }
            case RTDETR -> {
                String rows = g.concat(1, cxcywh(g, 1f / SIZE), sq); // normalised boxes
                g.identity(g.transpose(rows, 0, 2, 1), "output0");
                g.output("output0", ElementType.FLOAT, Dim.of(1), Dim.of(ANCHORS), Dim.of(7));
            }
            case TORCHVISION -> {
                g.identity(g.reshape(g.transpose(xyxy(g), 0, 2, 1), ANCHORS, 4), "boxes");
                g.identity(g.reshape(g.reduceMaxKeep(m, 1), ANCHORS), "scores");
                g.identity(g.reshape(g.argMax(m, 1, true), ANCHORS), "labels");
                g.output("boxes", ElementType.FLOAT, Dim.of(ANCHORS), Dim.of(4));
                g.output("labels", ElementType.INT64, Dim.of(ANCHORS));
                g.output("scores", ElementType.FLOAT, Dim.of(ANCHORS));
            }
        }
        return g.build().toByteArray();
    }

    /** The cell box of anchor {@code a} in input pixels: x1, y1, x2, y2. */
    public static float[] cellBox(int a) {
        int gx = a % GRID;
        int gy = a / GRID;
        return new float[] {gx * CELL - 4, gy * CELL - 4, gx * CELL + 12, gy * CELL + 12};
    }

    // [1, 4, A] channel-major: cx, cy, w, h, times scale.
    private static String cxcywh(GraphBuilder g, float scale) {
        float[] v = new float[4 * ANCHORS];
        for (int a = 0; a < ANCHORS; a++) {
            float[] b = cellBox(a);
            v[a] = (b[0] + b[2]) / 2 * scale;
            v[ANCHORS + a] = (b[1] + b[3]) / 2 * scale;
            v[2 * ANCHORS + a] = (b[2] - b[0]) * scale;
            v[3 * ANCHORS + a] = (b[3] - b[1]) * scale;
        }
        return g.floats("cxcywh", new long[] {1, 4, ANCHORS}, v);
    }

    // [1, 4, A] channel-major: x1, y1, x2, y2.
    private static String xyxy(GraphBuilder g) {
        float[] v = new float[4 * ANCHORS];
        for (int a = 0; a < ANCHORS; a++) {
            float[] b = cellBox(a);
            for (int k = 0; k < 4; k++) {
                v[k * ANCHORS + a] = b[k];
            }
        }
        return g.floats("xyxy", new long[] {1, 4, ANCHORS}, v);
    }

    /** A black RGB image of {@code w x h} with filled rectangles {x1, y1, x2, y2, rgb} (x2, y2 exclusive). */
    public static BufferedImage picture(int w, int h, int[]... rects) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int[] r : rects) {
            for (int y = r[1]; y < r[3]; y++) {
                for (int x = r[0]; x < r[2]; x++) {
                    img.setRGB(x, y, r[4]);
                }
            }
        }
        return img;
    }

    /** Writes {@link #picture} as a PNG. */
    public static Path writePicture(Path file, int w, int h, int[]... rects) throws IOException {
        ImageIO.write(picture(w, h, rects), "png", file.toFile());
        return file;
    }

    /** A red blob of {@link #picture}: found as class 0. */
    public static int[] red() {
        return new int[] {32, 16, 48, 32, 0xff0000};
    }

    /** A green blob of {@link #picture}: found as class 1. */
    public static int[] green() {
        return new int[] {64, 48, 96, 64, 0x00ff00};
    }

    /** A blue blob of {@link #picture}: found as class 2. */
    public static int[] blue() {
        return new int[] {0, 80, 16, 96, 0x0000c8};
    }

    /**
     * The image folder the detect tests run on: a.png (red, green, blue), b.png (green), c.png
     * (black: no detections), d.png (corrupt), e.png (blue, red), f.png (red), g.png (all white) and
     * notes.txt (not an image); 128 x 96 each.
     */
    public static Path writeDetectFolder(Path dir) throws IOException {
        Files.createDirectories(dir);
        writePicture(dir.resolve("a.png"), 128, 96, red(), green(), blue());
        writePicture(dir.resolve("b.png"), 128, 96, green());
        writePicture(dir.resolve("c.png"), 128, 96);
        Files.write(dir.resolve("d.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 9, 9});
        writePicture(dir.resolve("e.png"), 128, 96, blue(), red());
        writePicture(dir.resolve("f.png"), 128, 96, red());
        writePicture(dir.resolve("g.png"), 128, 96, new int[] {0, 0, 128, 96, 0xffffff});
        Files.writeString(dir.resolve("notes.txt"), "not an image");
        return dir;
    }
}
