package dev.runa.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A COCO-style dataset file ({@code images}, {@code annotations}, {@code categories}) as the VOS benchmark
 * distributes its ID and OOD sets. Image ids may be integers or strings; both become text.
 * {@code annotations} may be absent or empty (the OpenImages OOD set has none).
 */
public record CocoDataset(List<Image> images, List<Annotation> annotations, List<Category> categories) {
    public CocoDataset {
        images = List.copyOf(images);
        annotations = List.copyOf(annotations);
        categories = List.copyOf(categories);
    }

    /**
     * An image entry; {@code id} is the image id as text.
     *
     * @param integerId whether the file gave the id as a JSON integer (which Python orders
     *                  numerically) rather than a string (ordered by code point)
     */
    public record Image(String id, String fileName, int width, int height, boolean integerId) {
        /** An entry whose id counts as an integer when it is one written canonically ("102", not "0102"). */
        public Image(String id, String fileName, int width, int height) {
            this(id, fileName, width, height, id.matches("-?(0|[1-9][0-9]*)"));
        }
    }

    /**
     * The image ids in the order Python's {@code sorted()} gives the dataset's ids, as pycocotools
     * does: numerically when every id is an integer, by code point otherwise ("1004" &lt; "102" &lt; "9"
     * only for string ids).
     */
    public List<String> sortedImageIds() {
        boolean integers = images.stream().allMatch(Image::integerId);
        List<String> ids = new ArrayList<>(images.stream().map(Image::id).toList());
        if (integers) {
            ids.sort(java.util.Comparator.comparing(java.math.BigInteger::new));
        } else {
            ids.sort(CocoDataset::compareCodePoints);
        }
        return ids;
    }

    // Python's str ordering: by code point (String.compareTo orders UTF-16 units, which differs
    // above the Basic Multilingual Plane).
    private static int compareCodePoints(String a, String b) {
        int[] x = a.codePoints().toArray();
        int[] y = b.codePoints().toArray();
        return java.util.Arrays.compare(x, y);
    }

    /** A ground-truth box; {@code bbox} converted from COCO xywh to pixel xyxy. */
    public record Annotation(String imageId, int categoryId, Box bbox, boolean crowd) {}

    /** A category. */
    public record Category(int id, String name) {}

    /** Reads and validates a COCO-style JSON file. */
    public static CocoDataset read(Path file) throws IOException {
        JsonNode root = JsonFields.readTree(file);
        JsonFields f = new JsonFields(file);
        if (root == null || !root.isObject()) {
            throw f.error("$", "expected a JSON object with images, annotations, categories");
        }
        List<Image> images = new ArrayList<>();
        JsonNode imgs = f.array(root, "$", "images");
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < imgs.size(); i++) {
            String p = "$.images[" + i + "]";
            JsonNode n = imgs.get(i);
            JsonNode idNode = n.get("id");
            Image img = new Image(
                    f.imageId(n, p, "id"),
                    f.text(n, p, "file_name"),
                    f.integer(n, p, "width"),
                    f.integer(n, p, "height"),
                    idNode != null && idNode.isIntegralNumber());
            if (!ids.add(img.id())) {
                throw f.error(p + ".id", "duplicate image id " + img.id());
            }
            images.add(img);
        }
        List<Category> categories = new ArrayList<>();
        JsonNode cats = f.array(root, "$", "categories");
        Set<Integer> categoryIds = new HashSet<>();
        for (int i = 0; i < cats.size(); i++) {
            String p = "$.categories[" + i + "]";
            Category c = new Category(f.integer(cats.get(i), p, "id"), f.text(cats.get(i), p, "name"));
            if (!categoryIds.add(c.id())) {
                throw f.error(p + ".id", "duplicate category id " + c.id() + " ('" + c.name() + "')");
            }
            categories.add(c);
        }
        List<Annotation> annotations = new ArrayList<>();
        JsonNode anns = root.get("annotations");
        if (anns != null && !anns.isNull()) {
            anns = f.array(root, "$", "annotations");
            for (int i = 0; i < anns.size(); i++) {
                String p = "$.annotations[" + i + "]";
                JsonNode n = anns.get(i);
                String imageId = f.imageId(n, p, "image_id");
                if (!ids.contains(imageId)) {
                    throw f.error(p + ".image_id", "refers to image " + imageId + ", which is not in $.images");
                }
                JsonNode crowd = n.get("iscrowd");
                boolean isCrowd = crowd != null && !crowd.isNull() && f.integer(n, p, "iscrowd") != 0;
                annotations.add(new Annotation(imageId, f.integer(n, p, "category_id"), f.xywh(n, p, "bbox"), isCrowd));
            }
        }
        return new CocoDataset(images, annotations, categories);
    }
}
