package dev.runa.detect;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a detector graph is, read from its declared inputs, outputs and metadata: the output format,
 * the input to feed and its size, and the class names. Immutable.
 *
 * <p>Recognition: outputs named {@code boxes}, {@code labels} and {@code scores} are a torchvision
 * graph. Otherwise the first output must be {@code [1, a, b]}: with {@code nc} classes from the
 * {@code names} metadata, {@code a == 4 + nc} is YOLOv8/11; {@code b == 5 + nc} YOLOv5;
 * {@code b == 4 + nc} RT-DETR; {@code b == 6} end-to-end. Without names, {@code a < b} is YOLOv8/11
 * (84 x 8400) and rows of 6 are end-to-end. When a shape fits several formats, the model's
 * {@code description} metadata decides (Ultralytics writes the model name there), else the user
 * must name the format.
 *
 * @param format      the output format
 * @param inputName   the image input
 * @param inputRank   3 ({@code [3, H, W]}) or 4 ({@code [1, 3, H, W]})
 * @param inputWidth  network input width; -1 for a torchvision graph fed at the image's own size
 * @param inputHeight network input height; -1 likewise
 * @param outputs     the output names read, in the order the decoder needs them
 * @param classCount  classes the output encodes, or -1 when the shape does not say (end-to-end, torchvision)
 * @param classNames  the {@code names} metadata in class order (empty when absent)
 */
public record DetectorGraph(
        DetectorFormat format,
        String inputName,
        int inputRank,
        int inputWidth,
        int inputHeight,
        List<String> outputs,
        int classCount,
        List<String> classNames) {

    public DetectorGraph {
        outputs = List.copyOf(outputs);
        classNames = List.copyOf(classNames);
    }

    /** A declared graph input or output: name and shape (-1 for a dynamic dimension). */
    public record Tensor(String name, long[] shape) {
        @Override
        public String toString() {
            return "'" + name + "' " + Arrays.toString(shape);
        }
    }

    /**
     * Recognises a detector graph.
     *
     * @param source   the model's name for messages (its file)
     * @param inputs   declared inputs
     * @param outputs  declared outputs
     * @param metadata the model's metadata properties
     * @param forced   the format the user named, or null to recognise it
     * @throws DetectorException naming the file, the outputs and what was expected
     */
    public static DetectorGraph recognise(
            String source,
            List<Tensor> inputs,
            List<Tensor> outputs,
            Map<String, String> metadata,
            DetectorFormat forced) {
        List<String> names = metadata.containsKey("names") ? parseNames(source, metadata.get("names")) : List.of();
        if (inputs.isEmpty() || outputs.isEmpty()) {
            throw new DetectorException(source + ": the graph has " + inputs.size() + " inputs and " + outputs.size()
                    + " outputs; a detector needs an image input and at least one output");
        }
        Tensor in = inputs.get(0);
        Tensor boxes = find(outputs, "boxes");
        Tensor labels = find(outputs, "labels");
        Tensor scores = find(outputs, "scores");
        boolean torchvision = boxes != null && labels != null && scores != null;
        if (forced == DetectorFormat.TORCHVISION || (forced == null && torchvision)) {
            if (!torchvision) {
                throw unsupported(source, outputs, "format torchvision needs outputs named boxes, labels and scores");
            }
            int rank = in.shape().length;
            if (rank != 3 && rank != 4) {
                throw new DetectorException(
                        source + ": input " + in + " is not an image tensor [3, H, W] or [1, 3, H, W]");
            }
            return new DetectorGraph(
                    DetectorFormat.TORCHVISION,
                    in.name(),
                    rank,
                    -1,
                    -1,
                    List.of("boxes", "labels", "scores"),
                    -1,
                    names);
        }
        Tensor out = outputs.get(0);
        long[] s = out.shape();
        if (s.length != 3 || (s[0] != 1 && s[0] != -1)) {
            throw unsupported(
                    source,
                    outputs,
                    "expected one output [1, 4+nc, anchors] (YOLOv8/11), [1, anchors, 5+nc] (YOLOv5), [1, N, 6]"
                            + " (end-to-end), [1, queries, 4+nc] (RT-DETR), or outputs named boxes, labels, scores"
                            + " (torchvision)");
        }
        long a = s[1];
        long b = s[2];
        int nc = names.isEmpty() ? -1 : names.size();
        DetectorFormat format = forced != null ? forced : choose(source, outputs, a, b, nc, metadata);
        int shapeClasses = switch (format) {
            case YOLO_V8 -> (int) a - 4;
            case YOLO_V5 -> (int) b - 5;
            case RT_DETR -> (int) b - 4;
            default -> -1;
        };
        String fits = switch (format) {
            case YOLO_V8 -> a > 4 ? null : "YOLOv8/11 needs [1, 4+nc, anchors]";
            case YOLO_V5 -> b > 5 ? null : "YOLOv5 needs [1, anchors, 5+nc]";
            case RT_DETR -> b > 4 ? null : "RT-DETR needs [1, queries, 4+nc]";
            case END_TO_END -> b == 6 ? null : "end-to-end needs [1, N, 6]";
            case TORCHVISION -> "unreachable";
        };
        if (fits != null) {
            throw unsupported(source, outputs, fits);
        }
        if (nc >= 0 && shapeClasses >= 0 && shapeClasses != nc) {
            throw new DetectorException(source + ": output " + out + " encodes " + shapeClasses + " classes as "
                    + format.key() + " but the model's 'names' metadata lists " + nc);
        }
        int[] size = inputSize(source, in, metadata);
        return new DetectorGraph(
                format,
                in.name(),
                4,
                size[1],
                size[0],
                List.of(out.name()),
                shapeClasses >= 0 ? shapeClasses : nc,
                names);
    }

    private static DetectorFormat choose(
            String source, List<Tensor> outputs, long a, long b, int nc, Map<String, String> metadata) {
        String hint = (metadata.getOrDefault("description", "") + " " + metadata.getOrDefault("end2end", ""))
                .toLowerCase(Locale.ROOT);
        boolean rtdetrHint = hint.contains("rt-detr") || hint.contains("rtdetr");
        boolean e2eHint = hint.contains("v10") || hint.contains("yolo26") || hint.contains("true");
        if (nc >= 0 ? a == 4 + nc : a > 4 && (b == -1 || b > a)) {
            return DetectorFormat.YOLO_V8;
        }
        List<DetectorFormat> fit = new ArrayList<>();
        if (b == 6) {
            fit.add(DetectorFormat.END_TO_END);
        }
        if (nc >= 0 ? b == 5 + nc : b > 6 && !rtdetrHint) {
            fit.add(DetectorFormat.YOLO_V5);
        }
        if (nc >= 0 ? b == 4 + nc : b > 4 && rtdetrHint) {
            fit.add(DetectorFormat.RT_DETR);
        }
        if (fit.size() > 1) {
            if (rtdetrHint && fit.contains(DetectorFormat.RT_DETR)) {
                return DetectorFormat.RT_DETR;
            }
            if (e2eHint && fit.contains(DetectorFormat.END_TO_END)) {
                return DetectorFormat.END_TO_END;
            }
            throw new DetectorException(source + ": output " + outputs.get(0) + " fits several formats ("
                    + String.join(", ", fit.stream().map(DetectorFormat::key).toList())
                    + "); name the format (detector format option)");
        }
        if (fit.isEmpty()) {
            throw unsupported(
                    source,
                    outputs,
                    (nc >= 0 ? "with the " + nc + " classes of its 'names' metadata, " : "")
                            + "expected [1, 4+nc, anchors] (YOLOv8/11), [1, anchors, 5+nc] (YOLOv5), [1, N, 6]"
                            + " (end-to-end) or [1, queries, 4+nc] (RT-DETR)");
        }
        return fit.get(0);
    }

    private static int[] inputSize(String source, Tensor in, Map<String, String> metadata) {
        long[] s = in.shape();
        if (s.length != 4 || (s[1] != 3 && s[1] != -1)) {
            throw new DetectorException(source + ": input " + in + " is not an image batch [1, 3, H, W]");
        }
        if (s[2] > 0 && s[3] > 0) {
            return new int[] {(int) s[2], (int) s[3]};
        }
        String imgsz = metadata.get("imgsz");
        if (imgsz != null) {
            Matcher m = Pattern.compile("(\\d+)\\D+(\\d+)").matcher(imgsz);
            if (m.find()) {
                return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
            }
        }
        throw new DetectorException(source + ": input " + in + " has a dynamic size and the model has no 'imgsz'"
                + " metadata to say which size it expects");
    }

    private static Tensor find(List<Tensor> ts, String name) {
        return ts.stream().filter(t -> t.name().equals(name)).findFirst().orElse(null);
    }

    private static DetectorException unsupported(String source, List<Tensor> outputs, String expected) {
        return new DetectorException(source + ": unsupported detector outputs "
                + String.join(", ", outputs.stream().map(Tensor::toString).toList()) + ": " + expected);
    }

    private static final Pattern NAME_ENTRY =
            Pattern.compile("(\\d+)\\s*:\\s*(?:'((?:[^'\\\\]|\\\\.)*)'|\"((?:[^\"\\\\]|\\\\.)*)\")");

    /**
     * The class names of a {@code names} metadata value as Ultralytics and YOLOv5 write it, Python's
     * {@code str(dict)}: {@code {0: 'person', 1: "driver's cab"}}. Ids must be 0..n-1.
     *
     * @throws DetectorException when the value is not such a dictionary
     */
    public static List<String> parseNames(String source, String value) {
        Map<Integer, String> byId = new TreeMap<>();
        Matcher m = NAME_ENTRY.matcher(value);
        while (m.find()) {
            String raw = m.group(2) != null ? m.group(2) : m.group(3);
            byId.put(Integer.parseInt(m.group(1)), raw.replaceAll("\\\\(.)", "$1"));
        }
        if (byId.isEmpty()) {
            throw new DetectorException(source + ": metadata 'names' is not a {id: 'name'} dictionary: "
                    + (value.length() > 80 ? value.substring(0, 80) + "..." : value));
        }
        List<String> out = new ArrayList<>();
        for (var e : byId.entrySet()) {
            if (e.getKey() != out.size()) {
                throw new DetectorException(source + ": metadata 'names' has no class " + out.size()
                        + " (ids must be 0.." + (byId.size() - 1) + ")");
            }
            out.add(e.getValue());
        }
        return out;
    }

    /** The detector's name for class {@code index}: its metadata name, else {@code "class N"}. */
    public String label(int index) {
        return index >= 0 && index < classNames.size() ? classNames.get(index) : "class " + index;
    }
}
