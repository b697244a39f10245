package dev.runa.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads BDD-100K detection labels: a JSON array of {@code {name, labels: [{category, box2d {x1, y1, x2, y2}}]}}.
 * Labels without {@code box2d} (lanes, drivable areas) are skipped; an image with {@code labels} null or
 * absent has no boxes.
 */
public final class BddLabels {
    private BddLabels() {}

    /** One image: its file name and its boxes. */
    public record BddImage(String name, List<BddLabel> labels) {
        public BddImage {
            labels = List.copyOf(labels);
        }
    }

    /** One box label. */
    public record BddLabel(String category, Box box) {}

    public static List<BddImage> read(Path file) throws IOException {
        JsonNode root = JsonFields.readTree(file);
        JsonFields f = new JsonFields(file);
        if (root == null || !root.isArray()) {
            throw f.error("$", "expected a JSON array of images");
        }
        List<BddImage> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            String p = "$[" + i + "]";
            JsonNode img = root.get(i);
            String name = f.text(img, p, "name");
            List<BddLabel> labels = new ArrayList<>();
            JsonNode ls = img.get("labels");
            if (ls != null && !ls.isNull()) {
                ls = f.array(img, p, "labels");
                for (int j = 0; j < ls.size(); j++) {
                    String lp = p + ".labels[" + j + "]";
                    JsonNode l = ls.get(j);
                    JsonNode b = l.get("box2d");
                    if (b == null || b.isNull()) {
                        continue;
                    }
                    String bp = lp + ".box2d";
                    double x1 = f.number(b, bp, "x1");
                    double y1 = f.number(b, bp, "y1");
                    double x2 = f.number(b, bp, "x2");
                    double y2 = f.number(b, bp, "y2");
                    if (x2 < x1 || y2 < y1) {
                        throw f.error(bp, "x2/y2 below x1/y1");
                    }
                    labels.add(new BddLabel(f.text(l, lp, "category"), new Box(x1, y1, x2, y2)));
                }
            }
            out.add(new BddImage(name, labels));
        }
        return out;
    }
}
