package dev.runa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Test;

/** The bench output contract: a table, then one JSON document as the last line. */
class BenchCommandTest {

    @Test
    void lastLineIsTheContractJson() throws Exception {
        check("fp32");
    }

    @Test
    void int8KeepsTheSameContract() throws Exception {
        check("int8");
    }

    private static void check(String precision) throws Exception {
        CliRunner.Result r = CliRunner.run(
                "bench",
                "clip",
                "--model",
                "random:tiny",
                "--batch",
                "1,3",
                "--threads",
                "1",
                "--min-seconds",
                "0",
                "--precision",
                precision);
        int rc = r.exitCode();
        assertEquals(0, rc);
        String[] lines = r.out().strip().split("\n");
        assertTrue(lines.length > 3, "expected a table before the JSON line");
        assertTrue(lines[0].contains(", " + precision + ","), lines[0]);
        JsonNode doc = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertEquals(2, doc.get("results").size());
        assertEquals(1, doc.get("results").get(0).get("batch").asInt());
        assertEquals(3, doc.get("results").get(1).get("batch").asInt());
        assertTrue(doc.get("results").get(1).get("images_per_s").asDouble() > 0);
        assertTrue(doc.get("peak_rss_mb").asLong() > 0);
    }

    @Test
    void finetuneTargetTimesFeaturesAndEpochs() throws Exception {
        CliRunner.Result r = CliRunner.run(
                "bench", "finetune", "--model", "random:tiny", "--classes", "3", "--shots", "2", "--epochs", "5");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        JsonNode doc = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertEquals("finetune", doc.get("target").asText());
        assertEquals(6, doc.get("regions").asInt());
        assertEquals(5, doc.get("epochs").asInt());
        assertTrue(doc.get("epoch_seconds").asDouble() >= 0
                && doc.get("feature_seconds").asDouble() >= 0);
    }

    @Test
    void detectTargetMeasuresDetectionAloneAndWithRuna() throws Exception {
        CliRunner.Result r = CliRunner.run(
                "bench",
                "detect",
                "--model",
                "random:tiny",
                "--detect-images",
                "1",
                "--min-seconds",
                "0",
                "--max-det",
                "3");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        JsonNode doc = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertEquals("detect", doc.get("target").asText());
        assertTrue(doc.get("detect_images_per_s").asDouble() > 0);
        assertTrue(doc.get("detect_runa_images_per_s").asDouble() > 0);
        // The random-weight graph is tuned so that some anchors pass conf 0.25: RUNA has boxes to score.
        assertEquals(3.0, doc.get("boxes_per_image").asDouble());
    }

    @Test
    void contractLineIsSpacedAsDocumented() {
        assertEquals(
                "{\"results\": [{\"batch\": 1, \"images_per_s\": 8.250}, {\"batch\": 8, \"images_per_s\": 9.000}], \"peak_rss_mb\": 900}",
                BenchCommand.contractJson(List.of(new double[] {1, 8.25}, new double[] {8, 9}), 900));
    }

    @Test
    void unknownModelSpecIsAClearError() {
        var e = Assertions.assertThrows(
                IllegalArgumentException.class, () -> BenchCommand.resolveModel("random:vit-z-99"));
        assertTrue(e.getMessage().contains("vit-z-99"), e.getMessage());
    }
}
