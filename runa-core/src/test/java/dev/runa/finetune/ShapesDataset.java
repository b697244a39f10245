package dev.runa.finetune;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Polygon;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Generates a small COCO-style detection dataset of coloured shapes on noisy backgrounds, drawn with
 * java.awt from a fixed seed: every image holds two objects (left and right half), each class's
 * colour is jittered per object and its size and position vary, so the class is visible but not
 * pixel-identical. Used by the few-shot learning test, the CLI test and the timing harness
 * ({@link #main}).
 */
public final class ShapesDataset {
    /** Drawable shapes. */
    public enum Shape {
        SQUARE,
        CIRCLE,
        TRIANGLE,
        CROSS,
        STAR,
        RING,
        DIAMOND
    }

    /** One class: a colour and a shape, named e.g. {@code "red square"}. */
    public record Kind(String colourName, Color colour, Shape shape) {
        public String name() {
            return colourName + " " + shape.name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The four ID classes of the learning test. */
    public static final List<Kind> ID = List.of(
            new Kind("red", new Color(220, 40, 40), Shape.SQUARE),
            new Kind("green", new Color(40, 190, 60), Shape.CIRCLE),
            new Kind("blue", new Color(40, 70, 220), Shape.TRIANGLE),
            new Kind("yellow", new Color(230, 210, 40), Shape.CROSS));

    /** OOD objects: colours and shapes no ID class has. */
    public static final List<Kind> OOD = List.of(
            new Kind("purple", new Color(140, 40, 170), Shape.STAR),
            new Kind("cyan", new Color(40, 200, 210), Shape.RING),
            new Kind("orange", new Color(240, 130, 20), Shape.DIAMOND));

    private static final String[] COLOUR_NAMES = {"red", "green", "blue", "yellow", "purple", "cyan", "orange"};
    private static final Color[] COLOURS = {
        new Color(220, 40, 40),
        new Color(40, 190, 60),
        new Color(40, 70, 220),
        new Color(230, 210, 40),
        new Color(140, 40, 170),
        new Color(40, 200, 210),
        new Color(240, 130, 20)
    };

    private ShapesDataset() {}

    /** {@code n} distinct colour x shape classes (n at most 49), for timing runs with many classes. */
    public static List<Kind> kinds(int n) {
        List<Kind> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new Kind(
                    COLOUR_NAMES[i % COLOURS.length],
                    COLOURS[i % COLOURS.length],
                    Shape.values()[(i / COLOURS.length + i) % Shape.values().length]));
        }
        return out;
    }

    /** The class names, comma-separated (a {@code --classes} value). */
    public static String classList(List<Kind> kinds) {
        return String.join(",", kinds.stream().map(Kind::name).toList());
    }

    /**
     * Writes {@code perKind} objects of every kind into {@code dir} as PNG images of {@code w x h}
     * pixels with two objects each, and the COCO JSON {@code dir/gt.json}.
     *
     * @return the JSON file
     */
    public static Path write(Path dir, List<Kind> kinds, int perKind, long seed, int w, int h) throws IOException {
        Files.createDirectories(dir);
        Random rng = new Random(seed);
        int objects = kinds.size() * perKind;
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < objects; i++) {
            order.add(i % kinds.size());
        }
        Collections.shuffle(order, rng);
        StringBuilder images = new StringBuilder();
        StringBuilder anns = new StringBuilder();
        int annId = 0;
        for (int img = 0; img * 2 < objects; img++) {
            BufferedImage bi = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            for (int y = 0; y < h; y++) {
                for (int x = 0; x < w; x++) {
                    int base = 90 + rng.nextInt(80);
                    bi.setRGB(
                            x,
                            y,
                            (clamp(base + rng.nextInt(30)) << 16)
                                    | (clamp(base + rng.nextInt(30)) << 8)
                                    | clamp(base + rng.nextInt(30)));
                }
            }
            Graphics2D g = bi.createGraphics();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            String name = String.format("img%05d.png", img);
            images.append(img == 0 ? "" : ",")
                    .append("{\"id\": ")
                    .append(img)
                    .append(", \"file_name\": \"")
                    .append(name)
                    .append("\", \"width\": ")
                    .append(w)
                    .append(", \"height\": ")
                    .append(h)
                    .append("}");
            for (int half = 0; half < 2 && img * 2 + half < objects; half++) {
                int k = order.get(img * 2 + half);
                int halfW = w / 2;
                int size = Math.max(8, (int) (Math.min(halfW, h) * (0.45 + 0.4 * rng.nextDouble())));
                int x0 = half * halfW + rng.nextInt(Math.max(1, halfW - size));
                int y0 = rng.nextInt(Math.max(1, h - size));
                Kind kind = kinds.get(k);
                g.setColor(jitter(kind.colour(), rng));
                draw(g, kind.shape(), x0, y0, size);
                // a box a little looser than the shape, as annotators draw them
                double pad = size * 0.08;
                double bx = Math.max(0, x0 - pad);
                double by = Math.max(0, y0 - pad);
                double bw = Math.min(w, x0 + size + pad) - bx;
                double bh = Math.min(h, y0 + size + pad) - by;
                anns.append(annId == 0 ? "" : ",")
                        .append(String.format(
                                Locale.ROOT,
                                "{\"id\": %d, \"image_id\": %d, \"category_id\": %d, \"bbox\": [%.2f, %.2f, %.2f, %.2f], \"iscrowd\": 0}",
                                annId,
                                img,
                                k + 1,
                                bx,
                                by,
                                bw,
                                bh));
                annId++;
            }
            g.dispose();
            ImageIO.write(bi, "png", dir.resolve(name).toFile());
        }
        StringBuilder cats = new StringBuilder();
        for (int k = 0; k < kinds.size(); k++) {
            cats.append(k == 0 ? "" : ",")
                    .append("{\"id\": ")
                    .append(k + 1)
                    .append(", \"name\": \"")
                    .append(kinds.get(k).name())
                    .append("\"}");
        }
        Path json = dir.resolve("gt.json");
        Files.writeString(
                json,
                "{\"images\": [" + images + "], \"annotations\": [" + anns + "], \"categories\": [" + cats + "]}");
        return json;
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static Color jitter(Color c, Random rng) {
        return new Color(
                clamp(c.getRed() + rng.nextInt(41) - 20),
                clamp(c.getGreen() + rng.nextInt(41) - 20),
                clamp(c.getBlue() + rng.nextInt(41) - 20));
    }

    private static void draw(Graphics2D g, Shape shape, int x, int y, int s) {
        switch (shape) {
            case SQUARE -> g.fillRect(x, y, s, s);
            case CIRCLE -> g.fillOval(x, y, s, s);
            case TRIANGLE -> g.fillPolygon(new int[] {x, x + s / 2, x + s}, new int[] {y + s, y, y + s}, 3);
            case CROSS -> {
                g.fillRect(x + s / 3, y, s / 3, s);
                g.fillRect(x, y + s / 3, s, s / 3);
            }
            case DIAMOND ->
                g.fillPolygon(
                        new int[] {x + s / 2, x + s, x + s / 2, x}, new int[] {y, y + s / 2, y + s, y + s / 2}, 4);
            case RING -> {
                g.setStroke(new BasicStroke(Math.max(2, s / 6f)));
                g.drawOval(x + s / 8, y + s / 8, s * 3 / 4, s * 3 / 4);
            }
            case STAR -> {
                Polygon p = new Polygon();
                for (int i = 0; i < 10; i++) {
                    double r = (i % 2 == 0 ? 0.5 : 0.2) * s;
                    double a = Math.PI / 5 * i - Math.PI / 2;
                    p.addPoint((int) Math.round(x + s / 2.0 + r * Math.cos(a)), (int)
                            Math.round(y + s / 2.0 + r * Math.sin(a)));
                }
                g.fillPolygon(p);
            }
            default -> throw new IllegalStateException("unhandled shape " + shape);
        }
    }

    /** Writes a dataset for manual runs: {@code DIR CLASSES PER_CLASS [W H]}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        List<Kind> kinds = kinds(Integer.parseInt(args[1]));
        int w = args.length > 3 ? Integer.parseInt(args[3]) : 128;
        int h = args.length > 4 ? Integer.parseInt(args[4]) : 64;
        Path json = write(dir, kinds, Integer.parseInt(args[2]), 1, w, h);
        System.out.println(json + "\n--classes \"" + classList(kinds) + "\"");
    }
}
