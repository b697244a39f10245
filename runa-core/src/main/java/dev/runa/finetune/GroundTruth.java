package dev.runa.finetune;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.runa.data.BddLabels;
import dev.runa.data.Box;
import dev.runa.data.CocoDataset;
import dev.runa.data.LabelSet;
import dev.runa.data.MalformedDataException;
import dev.runa.data.VocAnnotations;
import dev.runa.settings.SettingMessage;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.TreeMap;

/**
 * The ID ground truth of a training set as one list of {@link LabelledRegion}s, read from a COCO-style
 * JSON file, a PASCAL-VOC folder or a BDD-100K label file, with dataset category names mapped to
 * the class indices of a {@link LabelSet} (aliases included, e.g. VOC's {@code tvmonitor} and COCO's
 * {@code tv}). Boxes of categories outside the label set are skipped and counted, as are
 * {@code difficult} (VOC) and crowd (COCO) boxes unless the options include them, and boxes
 * of zero width or height (nothing to crop).
 *
 * @param source            the file or folder read
 * @param format            the format it was read as (never {@link Format#AUTO})
 * @param regions           the kept boxes, in file order
 * @param skippedCategories dataset category name -&gt; number of boxes skipped because the name is not an ID class
 * @param skippedDifficult  VOC boxes skipped because they are marked difficult
 * @param skippedCrowd      COCO boxes skipped because they are crowd regions
 * @param skippedEmpty      boxes skipped because their width or height is zero
 */
public record GroundTruth(
        Path source,
        Format format,
        List<LabelledRegion> regions,
        Map<String, Integer> skippedCategories,
        int skippedDifficult,
        int skippedCrowd,
        int skippedEmpty) {

    public GroundTruth {
        regions = List.copyOf(regions);
        skippedCategories = Collections.unmodifiableMap(new TreeMap<>(skippedCategories));
        if (format == Format.AUTO) {
            throw new IllegalArgumentException("a loaded ground truth has a concrete format, not AUTO");
        }
    }

    /** Ground-truth file formats. */
    public enum Format {
        /** Decide from the path: a folder with {@code Annotations/} is VOC, a JSON object with {@code images} COCO, a JSON array BDD. */
        AUTO,
        /** COCO-style JSON: {@code images}, {@code annotations}, {@code categories}. */
        COCO,
        /** PASCAL-VOC folder: {@code Annotations/*.xml} and {@code ImageSets/Main/SPLIT.txt}. */
        VOC,
        /** BDD-100K label JSON: an array of {@code {name, labels}}. */
        BDD;

        /** Parses {@code auto}, {@code coco}, {@code voc} or {@code bdd} (any case). */
        public static Format parse(String s) {
            try {
                return valueOf(s.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "unknown ground-truth format '" + s + "'; expected auto, coco, voc or bdd");
            }
        }
    }

    /**
     * How to read the ground truth.
     *
     * @param format           the format, or {@link Format#AUTO} to detect it
     * @param images           folder the image file names are relative to; null for the default
     *                         ({@code JPEGImages/} under a VOC root, the JSON file's folder otherwise)
     * @param vocSplit         VOC split name ({@code ImageSets/Main/SPLIT.txt}); ignored for other formats
     * @param includeDifficult keep VOC boxes marked difficult
     * @param includeCrowd     keep COCO crowd boxes
     */
    public record Options(Format format, Path images, String vocSplit, boolean includeDifficult, boolean includeCrowd) {
        /** The VOC split read by default: the training images. */
        public static final String DEFAULT_VOC_SPLIT = "trainval";

        public Options {
            Objects.requireNonNull(format, "format");
            Objects.requireNonNull(vocSplit, "vocSplit");
        }

        /** Auto-detected format, default image folder, VOC {@code trainval}, difficult and crowd boxes skipped. */
        public static Options defaults() {
            return new Options(Format.AUTO, null, DEFAULT_VOC_SPLIT, false, false);
        }

        public Options withFormat(Format f) {
            return new Options(f, images, vocSplit, includeDifficult, includeCrowd);
        }

        public Options withImages(Path dir) {
            return new Options(format, dir, vocSplit, includeDifficult, includeCrowd);
        }

        public Options withVocSplit(String split) {
            return new Options(format, images, split, includeDifficult, includeCrowd);
        }

        public Options withDifficult(boolean include) {
            return new Options(format, images, vocSplit, include, includeCrowd);
        }

        public Options withCrowd(boolean include) {
            return new Options(format, images, vocSplit, includeDifficult, include);
        }
    }

    /**
     * Reads the ground truth at {@code source} and maps it to {@code labels}.
     *
     * @throws MalformedDataException naming the file (and place in it) when the content is invalid or the format cannot be detected
     */
    public static GroundTruth load(Path source, LabelSet labels, Options options) throws IOException {
        Format format = options.format() == Format.AUTO ? detect(source) : options.format();
        Builder b = new Builder(source, format, labels);
        switch (format) {
            case COCO -> readCoco(source, b, options);
            case VOC -> readVoc(source, b, options);
            case BDD -> readBdd(source, b, options);
            default -> throw new IllegalStateException("unreachable");
        }
        return b.build();
    }

    /** Number of kept regions per class index, for a label set of {@code classCount} classes. */
    public int[] countsPerClass(int classCount) {
        int[] c = new int[classCount];
        for (LabelledRegion r : regions) {
            if (r.classIndex() < classCount) {
                c[r.classIndex()]++;
            }
        }
        return c;
    }

    /**
     * Detects the format of {@code source}: a folder holding {@code Annotations/} is VOC; a JSON file
     * whose top level is an object with an {@code images} field is COCO, an array BDD. Only the start of a
     * COCO file is scanned (up to its {@code images} field), so detection is cheap on large files.
     */
    public static Format detect(Path source) throws IOException {
        if (Files.isDirectory(source)) {
            if (Files.isDirectory(source.resolve("Annotations"))) {
                return Format.VOC;
            }
            throw new MalformedDataException(source + ": a folder without Annotations/, so not a PASCAL-VOC root; "
                    + "give the VOC root, a COCO JSON or a BDD JSON file");
        }
        if (!Files.isRegularFile(source)) {
            throw new java.nio.file.NoSuchFileException(source.toString(), null, "ground truth not found");
        }
        try (InputStream in = Files.newInputStream(source);
                JsonParser p = new JsonFactory().createParser(in)) {
            JsonToken first = p.nextToken();
            if (first == JsonToken.START_ARRAY) {
                return Format.BDD;
            }
            if (first != JsonToken.START_OBJECT) {
                throw new MalformedDataException(source + ": neither a JSON object (COCO) nor a JSON array (BDD)");
            }
            for (JsonToken t = p.nextToken(); t == JsonToken.FIELD_NAME; t = p.nextToken()) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("images")) {
                    return Format.COCO;
                }
                p.skipChildren();
            }
            throw new MalformedDataException(new SettingMessage(
                    source + ": a JSON object without an 'images' field, so not COCO-style ground truth (give ",
                    "groundTruthFormat",
                    " to override)"));
        } catch (JacksonException e) {
            throw new MalformedDataException(source + ": not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static void readCoco(Path file, Builder b, Options o) throws IOException {
        CocoDataset ds = CocoDataset.read(file);
        Path images = o.images() != null ? o.images() : parentOf(file);
        Map<Integer, String> categoryNames = new HashMap<>();
        for (CocoDataset.Category c : ds.categories()) {
            categoryNames.put(c.id(), c.name());
        }
        Map<String, CocoDataset.Image> byId = new HashMap<>();
        for (CocoDataset.Image img : ds.images()) {
            byId.put(img.id(), img);
        }
        List<CocoDataset.Annotation> anns = ds.annotations();
        for (int i = 0; i < anns.size(); i++) {
            CocoDataset.Annotation a = anns.get(i);
            String name = categoryNames.get(a.categoryId());
            if (name == null) {
                throw new MalformedDataException(file + " at $.annotations[" + i + "].category_id: category "
                        + a.categoryId() + " is not in $.categories");
            }
            if (a.crowd() && !o.includeCrowd()) {
                b.skippedCrowd++;
                continue;
            }
            CocoDataset.Image img = byId.get(a.imageId());
            b.add(images.resolve(img.fileName()), img.id(), a.bbox(), name);
        }
    }

    private static void readVoc(Path root, Builder b, Options o) throws IOException {
        if (!Files.isDirectory(root)) {
            throw new MalformedDataException(
                    root + ": PASCAL-VOC ground truth must be the folder holding Annotations/ " + "and ImageSets/");
        }
        Path split = root.resolve("ImageSets").resolve("Main").resolve(o.vocSplit() + ".txt");
        if (!Files.isRegularFile(split)) {
            throw new NoSuchFileException(split.toString(), null, "VOC split '" + o.vocSplit() + "' not found");
        }
        Path images = o.images() != null ? o.images() : root.resolve("JPEGImages");
        for (VocAnnotations.VocImage img : VocAnnotations.read(root, o.vocSplit())) {
            for (VocAnnotations.VocObject obj : img.objects()) {
                if (obj.difficult() && !o.includeDifficult()) {
                    b.skippedDifficult++;
                    continue;
                }
                b.add(images.resolve(img.fileName()), img.id(), obj.box(), obj.name());
            }
        }
    }

    private static void readBdd(Path file, Builder b, Options o) throws IOException {
        Path images = o.images() != null ? o.images() : parentOf(file);
        for (BddLabels.BddImage img : BddLabels.read(file)) {
            for (BddLabels.BddLabel l : img.labels()) {
                b.add(images.resolve(img.name()), img.name(), l.box(), l.category());
            }
        }
    }

    private static Path parentOf(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        return parent == null ? Path.of("") : parent;
    }

    /** Collects regions and skip counts while a reader runs. */
    private static final class Builder {
        private final Path source;
        private final Format format;
        private final LabelSet labels;
        private final List<LabelledRegion> regions = new ArrayList<>();
        private final Map<String, Integer> skippedCategories = new HashMap<>();
        private final Map<String, OptionalInt> lookups = new HashMap<>();
        int skippedDifficult;
        int skippedCrowd;
        int skippedEmpty;

        Builder(Path source, Format format, LabelSet labels) {
            this.source = source;
            this.format = format;
            this.labels = labels;
        }

        void add(Path image, String imageId, Box box, String name) {
            OptionalInt idx = lookups.computeIfAbsent(name, labels::indexOf);
            if (idx.isEmpty()) {
                skippedCategories.merge(name, 1, Integer::sum);
                return;
            }
            if (!(box.width() > 0) || !(box.height() > 0)) {
                skippedEmpty++;
                return;
            }
            regions.add(new LabelledRegion(image, imageId, box, idx.getAsInt(), name));
        }

        GroundTruth build() {
            return new GroundTruth(
                    source, format, regions, skippedCategories, skippedDifficult, skippedCrowd, skippedEmpty);
        }
    }
}
