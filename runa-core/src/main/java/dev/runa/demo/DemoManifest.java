package dev.runa.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runa.data.Box;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The demo's photos and their boxes.
 *
 * @param about  where the photos come from and how the boxes were made
 * @param photos the photos, in display order
 */
public record DemoManifest(String about, List<Photo> photos) {
    /** The manifest shipped in the jar. */
    public static final String RESOURCE = "/demo/manifest.json";

    public DemoManifest {
        photos = List.copyOf(photos);
    }

    /**
     * One photo.
     *
     * @param file   file name in the cache (and in a {@code --photos} folder)
     * @param url    where to fetch it
     * @param width  expected width in pixels
     * @param height expected height in pixels
     * @param credit what it shows and where it is from
     * @param boxes  hand-placed boxes
     */
    public record Photo(String file, String url, int width, int height, String credit, List<NotedBox> boxes) {
        public Photo {
            boxes = List.copyOf(boxes);
        }
    }

    /** A box and what it contains. */
    public record NotedBox(Box box, String note) {}

    /** The manifest shipped in the jar. */
    public static DemoManifest builtIn() throws IOException {
        try (InputStream in = DemoManifest.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("resource " + RESOURCE + " is missing from the jar");
            }
            return read(in, RESOURCE);
        }
    }

    /** A manifest file of the same layout. */
    public static DemoManifest read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    static DemoManifest read(InputStream in, String where) throws IOException {
        JsonNode root = new ObjectMapper().readTree(in);
        if (root == null || !"runa-demo-manifest".equals(root.path("format").asText())) {
            throw new IOException(where + ": not a runa demo manifest (field 'format' is not 'runa-demo-manifest')");
        }
        List<Photo> photos = new ArrayList<>();
        JsonNode ps = root.path("photos");
        if (!ps.isArray() || ps.isEmpty()) {
            throw new IOException(where + ": 'photos' must be a non-empty array");
        }
        for (int i = 0; i < ps.size(); i++) {
            JsonNode p = ps.get(i);
            String at = where + ": photos[" + i + "]";
            List<NotedBox> boxes = new ArrayList<>();
            JsonNode bs = p.path("boxes");
            for (int b = 0; b < bs.size(); b++) {
                JsonNode box = bs.get(b).path("box");
                if (!box.isArray() || box.size() != 4) {
                    throw new IOException(at + ".boxes[" + b + "].box: expected [x1, y1, x2, y2]");
                }
                boxes.add(new NotedBox(
                        new Box(
                                box.get(0).asDouble(),
                                box.get(1).asDouble(),
                                box.get(2).asDouble(),
                                box.get(3).asDouble()),
                        bs.get(b).path("note").asText("")));
            }
            String file = text(p, "file", at);
            if (file.contains("/") || file.contains("\\") || file.startsWith(".")) {
                throw new IOException(at + ".file: '" + file + "' must be a plain file name");
            }
            if (boxes.isEmpty()) {
                throw new IOException(at + ".boxes: no boxes");
            }
            int w = p.path("width").asInt(-1);
            int h = p.path("height").asInt(-1);
            if (w < 1 || h < 1) {
                throw new IOException(at + ": width and height must be positive integers");
            }
            photos.add(
                    new Photo(file, text(p, "url", at), w, h, p.path("credit").asText(""), boxes));
        }
        return new DemoManifest(root.path("about").asText(""), photos);
    }

    private static String text(JsonNode n, String field, String at) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw new IOException(at + ": missing text field '" + field + "'");
        }
        return v.asText();
    }
}
