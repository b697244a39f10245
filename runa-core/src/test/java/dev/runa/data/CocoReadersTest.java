package dev.runa.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

class CocoReadersTest {
    @TempDir
    Path dir;

    private Path write(String name, String content) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, content);
        return f;
    }

    @Test
    void datasetAcceptsIntegerAndStringImageIds() throws IOException {
        Path f = write("gt.json", """
                {"images": [{"id": 12, "file_name": "a.jpg", "width": 640, "height": 480},
                            {"id": "2008_000123", "file_name": "b.jpg", "width": 500, "height": 375}],
                 "annotations": [{"id": 1, "image_id": 12, "category_id": 3, "bbox": [10, 20, 30, 40], "iscrowd": 0},
                                 {"id": 2, "image_id": "2008_000123", "category_id": 1, "bbox": [0.5, 1, 2, 3], "iscrowd": 1}],
                 "categories": [{"id": 1, "name": "person"}, {"id": 3, "name": "car"}]}
                """);
        CocoDataset d = CocoDataset.read(f);
        assertEquals(
                List.of(
                        new CocoDataset.Image("12", "a.jpg", 640, 480),
                        new CocoDataset.Image("2008_000123", "b.jpg", 500, 375)),
                d.images());
        assertEquals(
                new CocoDataset.Annotation("12", 3, new Box(10, 20, 40, 60), false),
                d.annotations().get(0));
        assertTrue(d.annotations().get(1).crowd());
        assertEquals(new CocoDataset.Category(3, "car"), d.categories().get(1));
    }

    @Test
    void datasetWithoutAnnotationsIsAnOodSet() throws IOException {
        CocoDataset d = CocoDataset.read(write("ood.json", """
                {"images": [{"id": 1, "file_name": "a.jpg", "width": 1, "height": 1}], "categories": []}"""));
        assertTrue(d.annotations().isEmpty());
    }

    @Test
    void datasetErrorsNameFileAndJsonPath() throws IOException {
        assertError(write("g1.json", """
                {"images": [{"id": 1, "file_name": "a.jpg", "width": 1}], "annotations": [], "categories": []}"""), "g1.json at $.images[0].height: missing");
        assertError(write("g2.json", """
                {"images": [{"id": 1.5, "file_name": "a.jpg", "width": 1, "height": 1}], "categories": []}"""), "g2.json at $.images[0].id: expected an integer or string image id");
        assertError(
                write("g3.json", """
                {"images": [{"id": 1, "file_name": "a.jpg", "width": 1, "height": 1}], "categories": [],
                 "annotations": [{"image_id": 1, "category_id": 1, "bbox": [1, 2, 3]}]}"""),
                "g3.json at $.annotations[0].bbox: expected [x, y, width, height], found 3 values");
        assertError(write("g4.json", """
                {"images": [], "categories": [], "annotations": [{"image_id": 7, "category_id": 1, "bbox": [1, 2, 3, 4]}]}"""), "g4.json at $.annotations[0].image_id: refers to image 7");
        assertError(write("g5.json", "{\"images\": ["), "g5.json: not valid JSON");
    }

    private static void assertError(Path f, String expected) {
        IOException e = assertThrows(IOException.class, () -> {
            if (f.getFileName().toString().startsWith("r")) {
                CocoResults.read(f);
            } else {
                CocoDataset.read(f);
            }
        });
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    @Test
    void resultsStreamWithOptionalLogits() throws IOException {
        Path f = write("res.json", """
                [{"image_id": 12, "category_id": 3, "bbox": [1.5, 2, 10, 20], "score": 0.9,
                  "inter_feat": [1.0, -2.5, 3], "cls_prob": [0.7, 0.2, 0.1]},
                 {"image_id": "x7", "category_id": 1, "bbox": [0, 0, 1, 1], "score": 0.25}]""");
        List<Detection> d = CocoResults.read(f);
        assertEquals(2, d.size());
        assertEquals("12", d.get(0).imageId());
        assertEquals(new Box(1.5, 2, 11.5, 22), d.get(0).box());
        assertArrayEquals(new float[] {1f, -2.5f, 3f}, d.get(0).logits());
        assertArrayEquals(new float[] {0.7f, 0.2f, 0.1f}, d.get(0).classProbs());
        assertTrue(d.get(0).hasLogits());
        assertFalse(d.get(1).hasLogits());
        assertEquals(new Detection("x7", 1, new Box(0, 0, 1, 1), 0.25), d.get(1));
    }

    @Test
    void resultsErrorsNameFileAndElement() throws IOException {
        assertError(
                write("r1.json", "[{\"image_id\": 1, \"category_id\": 1, \"bbox\": [0,0,1,1]}]"),
                "r1.json at $[0].score: missing");
        assertError(
                write(
                        "r2.json",
                        "[{\"image_id\": 1, \"category_id\": 1, \"bbox\": [0,0,1,1], \"score\": 1},"
                                + " {\"image_id\": 1, \"category_id\": 1, \"bbox\": [0,0,-1,1], \"score\": 1}]"),
                "r2.json at $[1].bbox: negative width or height");
        assertError(write("r3.json", "{\"a\": 1}"), "r3.json at $: expected a JSON array");
        assertError(
                write(
                        "r4.json",
                        "[{\"image_id\": 1, \"category_id\": 1, \"bbox\": [0,0,1,1], \"score\": 1,"
                                + " \"inter_feat\": [1, \"x\"]}]"),
                "r4.json at $[0].inter_feat[1]: expected a number");
        assertError(write("r5.json", "[{\"image_id\": 1,"), "r5.json: not valid JSON");
    }

    @Test
    void manyResultsStream() throws IOException {
        StringBuilder sb = new StringBuilder("[");
        int n = 20000;
        for (int i = 0; i < n; i++) {
            sb.append(i == 0 ? "" : ",")
                    .append("{\"image_id\":")
                    .append(i % 97)
                    .append(",\"category_id\":1,\"bbox\":[1,2,3,4],\"score\":0.5}");
        }
        List<Detection> d = CocoResults.read(write("big.json", sb.append("]").toString()));
        assertEquals(n, d.size());
        assertEquals("96", d.get(96).imageId());
    }

    @Test
    void duplicateCategoryIdsAreRefusedNamingTheEntry() throws IOException {
        Path f = write("dup.json", """
                {"images": [{"id": 1, "file_name": "a.jpg", "width": 64, "height": 48}],
                 "categories": [{"id": 1, "name": "person"}, {"id": 1, "name": "rider"}]}
                """);
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> CocoDataset.read(f));
        assertTrue(e.getMessage().contains("$.categories[1].id"), e.getMessage());
        assertTrue(e.getMessage().contains("duplicate category id 1"), e.getMessage());
    }

    @Test
    void pythonsNanAndInfinityAreReadAndBrokenJsonIsExplainedInUserTerms() throws IOException {
        // Issue 9, item 16: json.dump writes NaN/Infinity; such a box is read (and becomes an error row later).
        Path f = write("dets.json", """
                [{"image_id": 1, "category_id": 1, "bbox": [NaN, 2, 3, 4], "score": 0.5},
                 {"image_id": 1, "category_id": 1, "bbox": [1, 2, Infinity, 4], "score": 0.5},
                 {"image_id": 1, "category_id": 1, "bbox": [1, 2, 3, 4], "score": 0.5}]
                """);
        List<Detection> d = CocoResults.read(f);
        assertEquals(3, d.size());
        assertTrue(Double.isNaN(d.get(0).box().x1()));
        assertFalse(d.get(1).box().isProper());
        assertTrue(d.get(2).box().isProper());

        Path broken = write("broken.json", "{\"images\": [\n  {'id': 1}]}");
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> CocoDataset.read(broken));
        assertTrue(e.getMessage().contains(broken + ": not valid JSON at line 2, column"), e.getMessage());
        assertFalse(e.getMessage().contains("JsonReadFeature") || e.getMessage().contains("`"), e.getMessage());
    }
}
