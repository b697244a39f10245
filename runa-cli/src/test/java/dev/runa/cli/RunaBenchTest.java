package dev.runa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class RunaBenchTest {
    @Test
    void reportsEndToEndBoxesPerSecondNextToTheEncoder() throws Exception {
        CliRunner.Result r = CliRunner.run(
                "bench",
                "runa",
                "--model",
                "random:tiny",
                "--boxes",
                "6",
                "--boxes-per-image",
                "4",
                "--min-seconds",
                "0",
                "--threads",
                "2",
                "--sessions",
                "2",
                "--view-workers",
                "3");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        JsonNode doc = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertEquals("runa", doc.get("target").asText());
        assertEquals(6, doc.get("boxes").asInt(), "every generated box scored");
        assertEquals(16, doc.get("encoder_batch").asInt(), "2 images x 4 boxes x 2 views per encoder call");
        assertEquals(2, doc.get("sessions").asInt());
        assertEquals(3, doc.get("view_workers").asInt());
        JsonNode split = doc.get("split_ms_per_box");
        for (String stage : new String[] {"decode", "rgb", "blur", "views", "encoder", "scoring"}) {
            assertTrue(split.has(stage) && split.get(stage).asDouble() >= 0, "split has " + stage);
        }
        assertTrue(split.get("encoder").asDouble() > 0 && split.get("views").asDouble() > 0, split.toString());
        assertTrue(doc.get("boxes_per_s").asDouble() > 0
                && doc.get("encoder_images_per_s").asDouble() > 0);
        assertEquals(
                (doc.get("encoder_images_per_s_before").asDouble()
                                + doc.get("encoder_images_per_s_after").asDouble())
                        / 2,
                doc.get("encoder_images_per_s").asDouble(),
                2e-3,
                "the bound averages the encoder timed before and after the end-to-end pass");
        double bound = doc.get("encoder_images_per_s").asDouble() / 2;
        assertEquals(
                1 - doc.get("boxes_per_s").asDouble() / bound,
                doc.get("overhead").asDouble(),
                2e-3,
                "overhead = 1 - e2e / (encoder / 2), rounded to 3 decimals");
    }
}
