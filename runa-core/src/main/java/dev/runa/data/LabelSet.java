package dev.runa.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;

/**
 * An ordered ID class list: per class its canonical dataset name and the label used in CLIP prompts,
 * plus aliases under which datasets spell the same class (docs/method.md section 7). Names are matched
 * after {@link #key normalisation} (lower case, spaces, underscores and hyphens removed), so
 * {@code diningtable}, {@code dining table} and {@code Dining_Table} are one class.
 *
 * @param name        a short name for the set (e.g. {@code voc}), recorded in adapters and reports
 * @param classNames  canonical dataset names, in class-index order
 * @param promptLabels the text put in the prompt template for each class, same order
 * @param aliases     extra normalised spellings -&gt; class index
 */
public record LabelSet(String name, List<String> classNames, List<String> promptLabels, Map<String, Integer> aliases) {

    public LabelSet {
        classNames = List.copyOf(classNames);
        promptLabels = List.copyOf(promptLabels);
        aliases = Map.copyOf(aliases);
        if (classNames.isEmpty()) {
            throw new IllegalArgumentException("label set '" + name + "' has no classes");
        }
        if (classNames.size() != promptLabels.size()) {
            throw new IllegalArgumentException("label set '" + name + "': " + classNames.size() + " names but "
                    + promptLabels.size() + " prompt labels");
        }
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < classNames.size(); i++) {
            Integer prev = seen.put(key(classNames.get(i)), i);
            if (prev != null) {
                throw new IllegalArgumentException("label set '" + name + "': '" + classNames.get(i)
                        + "' repeats class " + prev + " ('" + classNames.get(prev) + "')");
            }
        }
    }

    private static final List<String> COCO_NAMES = List.of(
            "person",
            "bicycle",
            "car",
            "motorcycle",
            "airplane",
            "bus",
            "train",
            "truck",
            "boat",
            "traffic light",
            "fire hydrant",
            "stop sign",
            "parking meter",
            "bench",
            "bird",
            "cat",
            "dog",
            "horse",
            "sheep",
            "cow",
            "elephant",
            "bear",
            "zebra",
            "giraffe",
            "backpack",
            "umbrella",
            "handbag",
            "tie",
            "suitcase",
            "frisbee",
            "skis",
            "snowboard",
            "sports ball",
            "kite",
            "baseball bat",
            "baseball glove",
            "skateboard",
            "surfboard",
            "tennis racket",
            "bottle",
            "wine glass",
            "cup",
            "fork",
            "knife",
            "spoon",
            "bowl",
            "banana",
            "apple",
            "sandwich",
            "orange",
            "broccoli",
            "carrot",
            "hot dog",
            "pizza",
            "donut",
            "cake",
            "chair",
            "couch",
            "potted plant",
            "bed",
            "dining table",
            "toilet",
            "tv",
            "laptop",
            "mouse",
            "remote",
            "keyboard",
            "cell phone",
            "microwave",
            "oven",
            "toaster",
            "sink",
            "refrigerator",
            "book",
            "clock",
            "vase",
            "scissors",
            "teddy bear",
            "hair drier",
            "toothbrush");

    /** PASCAL-VOC's 20 classes with the COCO-style spellings the VOS benchmark files use as aliases. */
    public static final LabelSet VOC = new LabelSet(
            "voc",
            List.of(
                    "aeroplane",
                    "bicycle",
                    "bird",
                    "boat",
                    "bottle",
                    "bus",
                    "car",
                    "cat",
                    "chair",
                    "cow",
                    "diningtable",
                    "dog",
                    "horse",
                    "motorbike",
                    "person",
                    "pottedplant",
                    "sheep",
                    "sofa",
                    "train",
                    "tvmonitor"),
            List.of(
                    "aeroplane",
                    "bicycle",
                    "bird",
                    "boat",
                    "bottle",
                    "bus",
                    "car",
                    "cat",
                    "chair",
                    "cow",
                    "dining table",
                    "dog",
                    "horse",
                    "motorbike",
                    "person",
                    "potted plant",
                    "sheep",
                    "sofa",
                    "train",
                    "tv monitor"),
            Map.of(key("airplane"), 0, key("motorcycle"), 13, key("couch"), 17, key("tv"), 19));

    /**
     * BDD-100K's 10 detection classes as in the VOS benchmark, with the spellings of the original BDD
     * release ({@code person}, {@code bike}, {@code motor}) as aliases.
     */
    public static final LabelSet BDD = new LabelSet(
            "bdd",
            List.of(
                    "pedestrian",
                    "rider",
                    "car",
                    "truck",
                    "bus",
                    "train",
                    "motorcycle",
                    "bicycle",
                    "traffic light",
                    "traffic sign"),
            List.of(
                    "pedestrian",
                    "rider",
                    "car",
                    "truck",
                    "bus",
                    "train",
                    "motorcycle",
                    "bicycle",
                    "traffic light",
                    "traffic sign"),
            Map.of(key("person"), 0, key("motor"), 6, key("bike"), 7));

    /**
     * COCO's 80 detection categories in the order of the category ids (1..90 with gaps) and of
     * Ultralytics' class indices 0..79; the names are the prompt labels.
     */
    public static final LabelSet COCO = new LabelSet(
            "coco",
            COCO_NAMES,
            COCO_NAMES,
            Map.of(key("motorbike"), 3, key("aeroplane"), 4, key("sofa"), 57, key("tvmonitor"), 62));

    /** A user list where each name is also its prompt label. */
    public static LabelSet of(String name, List<String> labels) {
        List<String> trimmed = new ArrayList<>();
        for (String l : labels) {
            String t = l.trim();
            if (t.isEmpty()) {
                throw new IllegalArgumentException("label set '" + name + "' has an empty label");
            }
            trimmed.add(t);
        }
        return new LabelSet(name, trimmed, trimmed, Map.of());
    }

    /** The fewest classes a user's list may have: with one, every softmax-based score is 1. */
    public static final int MIN_CLASSES = 2;

    /** The built-in class lists, by the name a user gives ({@code voc}, {@code bdd}, ...). */
    public static Map<String, LabelSet> presets() {
        Map<String, LabelSet> m = new LinkedHashMap<>();
        m.put("voc", VOC);
        m.put("bdd", BDD);
        m.put("coco", COCO);
        return Collections.unmodifiableMap(m);
    }

    /** A comma-separated list, e.g. {@code "cat, dog, traffic light"}, of at least {@link #MIN_CLASSES}. */
    public static LabelSet fromCommaList(String list) {
        return requireSeveral(of("custom", List.of(list.split(",", -1))), "'" + list + "'");
    }

    private static LabelSet requireSeveral(LabelSet set, String what) {
        if (set.size() < MIN_CLASSES) {
            throw new IllegalArgumentException("class list " + what + " has " + set.size() + " class; at least "
                    + MIN_CLASSES + " are needed (with one, every score is trivially 1)");
        }
        return set;
    }

    /** A file with one label per line; blank lines and lines starting with {@code #} are skipped. */
    public static LabelSet fromFile(Path file) throws IOException {
        List<String> labels = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (String line : lines) {
            String t = line.strip();
            if (!t.isEmpty() && !t.startsWith("#")) {
                labels.add(t);
            }
        }
        try {
            return requireSeveral(of(file.getFileName().toString(), labels), file.toString());
        } catch (IllegalArgumentException e) {
            throw new MalformedDataException(file + ": " + e.getMessage());
        }
    }

    /**
     * Resolves a user's class list: a preset name (see {@link #presets()}), {@code @FILE} or an
     * existing file (one label per line), or a comma-separated list of at least {@link #MIN_CLASSES}
     * classes. Every front end (command line, service, Spark) reads its class setting here.
     *
     * @throws IllegalArgumentException for a bare word that is none of these (a misspelt or unknown
     *                                  preset such as {@code bdd100k}), listing the presets
     */
    public static LabelSet parse(String spec) throws IOException {
        String s = spec.trim();
        if (s.startsWith("@")) {
            return fromFile(Path.of(s.substring(1)));
        }
        LabelSet preset = presets().get(s.toLowerCase(Locale.ROOT));
        if (preset != null) {
            return preset;
        }
        Path p = Path.of(s);
        if (!s.contains(",") && Files.isRegularFile(p)) {
            return fromFile(p);
        }
        if (!s.contains(",")) {
            throw new IllegalArgumentException("class list '" + s + "' is neither a preset ("
                    + String.join(", ", presets().keySet())
                    + "), nor a file, nor a comma-separated list of at least " + MIN_CLASSES + " classes");
        }
        return fromCommaList(s);
    }

    public int size() {
        return classNames.size();
    }

    /** The class index of a dataset category name (canonical name, prompt label or alias), if any. */
    public OptionalInt indexOf(String datasetName) {
        String k = key(datasetName);
        for (int i = 0; i < classNames.size(); i++) {
            if (key(classNames.get(i)).equals(k) || key(promptLabels.get(i)).equals(k)) {
                return OptionalInt.of(i);
            }
        }
        Integer a = aliases.get(k);
        return a == null ? OptionalInt.empty() : OptionalInt.of(a);
    }

    /** The normalised form names are matched by: lower case without spaces, underscores or hyphens. */
    public static String key(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[\\s_\\-]+", "");
    }
}
