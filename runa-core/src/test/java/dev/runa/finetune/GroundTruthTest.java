package dev.runa.finetune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.data.Box;
import dev.runa.data.LabelSet;
import dev.runa.data.MalformedDataException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GroundTruthTest {
    @TempDir
    Path dir;

    private static final String COCO = """
            {"info": {"x": [1, {"images": 2}]},
             "images": [{"id": 1, "file_name": "a.jpg", "width": 100, "height": 80},
                        {"id": "img-2", "file_name": "sub/b.jpg", "width": 50, "height": 50}],
             "annotations": [
               {"image_id": 1, "category_id": 62, "bbox": [10, 20, 30, 40]},
               {"image_id": "img-2", "category_id": 3, "bbox": [0, 0, 5, 5], "iscrowd": 1},
               {"image_id": "img-2", "category_id": 99, "bbox": [1, 1, 2, 2]},
               {"image_id": 1, "category_id": 3, "bbox": [5, 5, 0, 10]},
               {"image_id": "img-2", "category_id": 3, "bbox": [1, 2, 3, 4]}],
             "categories": [{"id": 3, "name": "airplane"}, {"id": 62, "name": "tv"}, {"id": 99, "name": "giraffe"}]}
            """;

    private Path coco() throws IOException {
        Path f = dir.resolve("instances.json");
        Files.writeString(f, COCO);
        return f;
    }

    @Test
    void cocoMapsAliasesSkipsCrowdUnknownAndEmptyBoxes() throws IOException {
        Path f = coco();
        GroundTruth gt =
                GroundTruth.load(f, LabelSet.VOC, GroundTruth.Options.defaults().withImages(dir.resolve("imgs")));
        assertEquals(GroundTruth.Format.COCO, gt.format());
        assertEquals(
                List.of(
                        new LabelledRegion(dir.resolve("imgs/a.jpg"), "1", new Box(10, 20, 40, 60), 19, "tv"),
                        new LabelledRegion(dir.resolve("imgs/sub/b.jpg"), "img-2", new Box(1, 2, 4, 6), 0, "airplane")),
                gt.regions());
        assertEquals(Map.of("giraffe", 1), gt.skippedCategories());
        assertEquals(1, gt.skippedCrowd());
        assertEquals(1, gt.skippedEmpty());
        assertEquals(0, gt.skippedDifficult());
        int[] counts = gt.countsPerClass(LabelSet.VOC.size());
        assertEquals(1, counts[0]);
        assertEquals(1, counts[19]);
    }

    @Test
    void cocoCrowdIncludedOnRequestAndImagesDefaultToJsonFolder() throws IOException {
        GroundTruth gt = GroundTruth.load(
                coco(), LabelSet.VOC, GroundTruth.Options.defaults().withCrowd(true));
        assertEquals(3, gt.regions().size());
        assertEquals(0, gt.skippedCrowd());
        assertEquals(dir.toAbsolutePath().resolve("a.jpg"), gt.regions().get(0).imageFile());
    }

    @Test
    void cocoUnknownCategoryIdNamesFileAndAnnotation() throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, """
                {"images": [{"id": 1, "file_name": "a.jpg", "width": 1, "height": 1}],
                 "annotations": [{"image_id": 1, "category_id": 7, "bbox": [0, 0, 1, 1]}],
                 "categories": []}""");
        MalformedDataException e = assertThrows(
                MalformedDataException.class, () -> GroundTruth.load(f, LabelSet.VOC, GroundTruth.Options.defaults()));
        assertTrue(e.getMessage().contains("bad.json at $.annotations[0].category_id: category 7"), e.getMessage());
    }

    private Path vocRoot() throws IOException {
        Path root = dir.resolve("VOC2007");
        Files.createDirectories(root.resolve("ImageSets/Main"));
        Files.createDirectories(root.resolve("Annotations"));
        Files.writeString(root.resolve("ImageSets/Main/trainval.txt"), "000005\n000007\n");
        Files.writeString(root.resolve("ImageSets/Main/test.txt"), "000007\n");
        Files.writeString(
                root.resolve("Annotations/000005.xml"),
                "<annotation><filename>000005.jpg</filename>"
                        + "<size><width>500</width><height>375</height></size>"
                        + obj("tvmonitor", 0, 11, 21, 100, 200) + obj("chair", 1, 1, 1, 10, 10)
                        + obj("unicorn", 0, 1, 1, 5, 5)
                        + "</annotation>");
        Files.writeString(
                root.resolve("Annotations/000007.xml"),
                "<annotation><filename>000007.jpg</filename>"
                        + "<size><width>500</width><height>333</height></size>" + obj("pottedplant", 0, 2, 3, 50, 60)
                        + "</annotation>");
        return root;
    }

    private static String obj(String name, int difficult, int x1, int y1, int x2, int y2) {
        return "<object><name>" + name + "</name><difficult>" + difficult + "</difficult><bndbox><xmin>" + x1
                + "</xmin><ymin>" + y1 + "</ymin><xmax>" + x2 + "</xmax><ymax>" + y2 + "</ymax></bndbox></object>";
    }

    @Test
    void vocFolderDetectedWithSplitDifficultAndJpegImagesDefault() throws IOException {
        Path root = vocRoot();
        GroundTruth gt = GroundTruth.load(root, LabelSet.VOC, GroundTruth.Options.defaults());
        assertEquals(GroundTruth.Format.VOC, gt.format());
        assertEquals(
                List.of(
                        new LabelledRegion(
                                root.resolve("JPEGImages/000005.jpg"),
                                "000005",
                                new Box(10, 20, 100, 200),
                                19,
                                "tvmonitor"),
                        new LabelledRegion(
                                root.resolve("JPEGImages/000007.jpg"),
                                "000007",
                                new Box(1, 2, 50, 60),
                                15,
                                "pottedplant")),
                gt.regions());
        assertEquals(1, gt.skippedDifficult());
        assertEquals(Map.of("unicorn", 1), gt.skippedCategories());

        GroundTruth withDifficult = GroundTruth.load(
                root,
                LabelSet.VOC,
                GroundTruth.Options.defaults().withDifficult(true).withVocSplit("test"));
        assertEquals(1, withDifficult.regions().size()); // test split lists only 000007
        assertEquals(
                3,
                GroundTruth.load(
                                root,
                                LabelSet.VOC,
                                GroundTruth.Options.defaults().withDifficult(true))
                        .regions()
                        .size());
    }

    @Test
    void vocMissingSplitNamesTheFile() throws IOException {
        Path root = vocRoot();
        IOException e = assertThrows(
                IOException.class,
                () -> GroundTruth.load(
                        root, LabelSet.VOC, GroundTruth.Options.defaults().withVocSplit("val")));
        assertTrue(e.getMessage().contains("val.txt"), e.getMessage());
    }

    @Test
    void bddArrayDetectedAndAliasesMapped() throws IOException {
        Path f = dir.resolve("bdd_labels.json");
        Files.writeString(f, """
                [{"name": "x.jpg", "labels": [
                   {"category": "person", "box2d": {"x1": 1, "y1": 2, "x2": 3, "y2": 4}},
                   {"category": "drivable area", "poly2d": []},
                   {"category": "lane", "box2d": {"x1": 1, "y1": 2, "x2": 3, "y2": 4}},
                   {"category": "traffic sign", "box2d": {"x1": 5, "y1": 6, "x2": 7.5, "y2": 8}}]},
                 {"name": "y.jpg", "labels": null}]""");
        GroundTruth gt =
                GroundTruth.load(f, LabelSet.BDD, GroundTruth.Options.defaults().withImages(dir.resolve("im")));
        assertEquals(GroundTruth.Format.BDD, gt.format());
        assertEquals(
                List.of(
                        new LabelledRegion(dir.resolve("im/x.jpg"), "x.jpg", new Box(1, 2, 3, 4), 0, "person"),
                        new LabelledRegion(dir.resolve("im/x.jpg"), "x.jpg", new Box(5, 6, 7.5, 8), 9, "traffic sign")),
                gt.regions());
        assertEquals(Map.of("lane", 1), gt.skippedCategories());
    }

    @Test
    void detectionFailuresNameTheFile() throws IOException {
        Path obj = dir.resolve("obj.json");
        Files.writeString(obj, "{\"annotations\": [], \"categories\": []}");
        MalformedDataException e1 = assertThrows(MalformedDataException.class, () -> GroundTruth.detect(obj));
        assertTrue(e1.getMessage().startsWith(obj.toString()) && e1.getMessage().contains("'images'"), e1.getMessage());

        Path broken = dir.resolve("broken.json");
        Files.writeString(broken, "{\"images\" ");
        // detection stops at "images", so the truncation is reported by the COCO reader, naming the file
        MalformedDataException e2 = assertThrows(
                MalformedDataException.class,
                () -> GroundTruth.load(broken, LabelSet.VOC, GroundTruth.Options.defaults()));
        assertTrue(e2.getMessage().startsWith(broken.toString()), e2.getMessage());

        Path scalar = dir.resolve("scalar.json");
        Files.writeString(scalar, "42");
        MalformedDataException e3 = assertThrows(MalformedDataException.class, () -> GroundTruth.detect(scalar));
        assertTrue(e3.getMessage().startsWith(scalar.toString()), e3.getMessage());

        Path notVoc = Files.createDirectories(dir.resolve("plain"));
        MalformedDataException e4 = assertThrows(MalformedDataException.class, () -> GroundTruth.detect(notVoc));
        assertTrue(e4.getMessage().contains("Annotations"), e4.getMessage());
    }

    @Test
    void explicitFormatOverridesDetection() throws IOException {
        Path f = coco();
        // Forcing BDD on a COCO file must fail in the BDD reader, naming the file, not silently succeed.
        MalformedDataException e = assertThrows(
                MalformedDataException.class,
                () -> GroundTruth.load(
                        f, LabelSet.VOC, GroundTruth.Options.defaults().withFormat(GroundTruth.Format.BDD)));
        assertTrue(e.getMessage().startsWith(f.toString()) && e.getMessage().contains("array"), e.getMessage());
        assertEquals(GroundTruth.Format.VOC, GroundTruth.Format.parse(" voc "));
        assertThrows(IllegalArgumentException.class, () -> GroundTruth.Format.parse("yolo"));
    }
}
