package dev.runa.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocAndBddTest {
    @TempDir
    Path dir;

    private static String voc(String objects) {
        return "<annotation><filename>000001.jpg</filename><size><width>353</width><height>500</height>"
                + "<depth>3</depth></size>" + objects + "</annotation>";
    }

    private static String object(String name, int difficult, String box) {
        return "<object><name>" + name + "</name><difficult>" + difficult + "</difficult><bndbox>" + box
                + "</bndbox></object>";
    }

    private Path vocRoot(String id, String xml) throws IOException {
        Files.createDirectories(dir.resolve("ImageSets/Main"));
        Files.createDirectories(dir.resolve("Annotations"));
        Files.writeString(dir.resolve("ImageSets/Main/test.txt"), id + "\n\n");
        Files.writeString(dir.resolve("Annotations/" + id + ".xml"), xml);
        return dir;
    }

    @Test
    void vocObjectsWithDifficultFlagAndZeroBasedBoxes() throws IOException {
        Path root = vocRoot(
                "000001",
                voc(object("dog", 0, "<xmin>48</xmin><ymin>240</ymin><xmax>195</xmax><ymax>371</ymax>")
                        + object("tvmonitor", 1, "<xmin>8</xmin><ymin>12</ymin><xmax>352</xmax><ymax>498</ymax>")));
        List<VocAnnotations.VocImage> images = VocAnnotations.read(root, "test");
        assertEquals(1, images.size());
        VocAnnotations.VocImage img = images.get(0);
        assertEquals("000001.jpg", img.fileName());
        assertEquals(353, img.width());
        assertEquals(
                new VocAnnotations.VocObject("dog", new Box(47, 239, 195, 371), false),
                img.objects().get(0));
        assertTrue(img.objects().get(1).difficult());
    }

    @Test
    void vocErrorsNameFileAndElement() throws IOException {
        Path root =
                vocRoot("000002", voc(object("dog", 0, "<xmin>4</xmin><ymin>a</ymin><xmax>9</xmax><ymax>9</ymax>")));
        IOException e = assertThrows(IOException.class, () -> VocAnnotations.read(root, "test"));
        assertTrue(
                e.getMessage().contains("000002.xml at annotation/object[0]/bndbox/ymin: 'a' is not a number"),
                e.getMessage());
    }

    @Test
    void vocRefusesDoctypeSoNoExternalEntityIsResolved() throws IOException {
        Path secret = dir.resolve("secret.txt");
        Files.writeString(secret, "x");
        String xml = "<?xml version=\"1.0\"?><!DOCTYPE a [<!ENTITY e SYSTEM \"" + secret.toUri() + "\">]>"
                + voc(object("&e;", 0, "<xmin>1</xmin><ymin>1</ymin><xmax>2</xmax><ymax>2</ymax>"));
        Path root = vocRoot("000003", xml);
        IOException e = assertThrows(IOException.class, () -> VocAnnotations.read(root, "test"));
        assertTrue(e.getMessage().contains("000003.xml: not valid XML"), e.getMessage());
    }

    @Test
    void bddBoxesSkipLabelsWithoutBox() throws IOException {
        Path f = dir.resolve("bdd.json");
        Files.writeString(f, """
                [{"name": "b1.jpg", "labels": [
                    {"category": "car", "box2d": {"x1": 1.5, "y1": 2, "x2": 30, "y2": 40}},
                    {"category": "lane", "poly2d": []}]},
                 {"name": "b2.jpg", "labels": null}]""");
        List<BddLabels.BddImage> images = BddLabels.read(f);
        assertEquals(2, images.size());
        assertEquals(
                List.of(new BddLabels.BddLabel("car", new Box(1.5, 2, 30, 40))),
                images.get(0).labels());
        assertTrue(images.get(1).labels().isEmpty());
    }

    @Test
    void bddErrorsNameJsonPath() throws IOException {
        Path f = dir.resolve("bad.json");
        Files.writeString(f, "[{\"name\": \"b1.jpg\", \"labels\": [{\"category\": \"car\", \"box2d\": {\"x1\": 1}}]}]");
        IOException e = assertThrows(IOException.class, () -> BddLabels.read(f));
        assertTrue(e.getMessage().contains("bad.json at $[0].labels[0].box2d.y1: missing"), e.getMessage());
    }

    @Test
    void labelSetsMapBothSpellings() throws IOException {
        LabelSet voc = LabelSet.VOC;
        assertEquals(20, voc.size());
        assertEquals("dining table", voc.promptLabels().get(10));
        assertEquals("tv monitor", voc.promptLabels().get(19));
        for (String[] pair : new String[][] {
            {"airplane", "aeroplane"},
            {"dining table", "diningtable"},
            {"motorcycle", "motorbike"},
            {"potted plant", "pottedplant"},
            {"couch", "sofa"},
            {"tv", "tvmonitor"}
        }) {
            assertEquals(voc.indexOf(pair[1]), voc.indexOf(pair[0]), pair[0]);
            assertTrue(voc.indexOf(pair[0]).isPresent(), pair[0]);
        }
        assertFalse(voc.indexOf("giraffe").isPresent());
        assertEquals(10, LabelSet.BDD.size());
        assertEquals(8, LabelSet.BDD.indexOf("Traffic_Light").getAsInt());
        assertEquals(LabelSet.BDD, LabelSet.parse("bdd"));
        LabelSet custom = LabelSet.parse("cat, dog ,traffic cone");
        assertEquals(List.of("cat", "dog", "traffic cone"), custom.promptLabels());
        Path file = dir.resolve("labels.txt");
        Files.writeString(file, "# my classes\ncat\n\ndog\n");
        assertEquals(List.of("cat", "dog"), LabelSet.parse(file.toString()).classNames());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelSet.parse("cat,,dog"));
        assertTrue(e.getMessage().contains("empty label"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LabelSet.parse("cat,Cat"));
        assertTrue(e.getMessage().contains("repeats class 0"), e.getMessage());
    }

    @Test
    void anUnknownPresetOrASingleClassIsRefusedListingThePresets() throws Exception {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> LabelSet.parse("bdd100k"));
        assertTrue(e.getMessage().contains("'bdd100k'"), e.getMessage());
        for (String preset : LabelSet.presets().keySet()) {
            assertTrue(e.getMessage().contains(preset), e.getMessage());
        }
        assertTrue(LabelSet.presets().keySet().containsAll(List.of("voc", "bdd")));
        assertEquals(LabelSet.VOC, LabelSet.parse("VOC"));
        IllegalArgumentException one = assertThrows(IllegalArgumentException.class, () -> LabelSet.parse("cat,"));
        assertTrue(
                one.getMessage().contains("empty label") || one.getMessage().contains("at least 2"), one.getMessage());
        IllegalArgumentException single =
                assertThrows(IllegalArgumentException.class, () -> LabelSet.fromCommaList("traffic cone"));
        assertTrue(single.getMessage().contains("at least 2"), single.getMessage());
    }
}
