package dev.runa.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runa.detect.DetectorOptions;
import dev.runa.detect.ObjectDetector;
import dev.runa.image.DecodeOptions;
import dev.runa.image.ImageDecoder;
import dev.runa.testing.SyntheticDetectors;
import dev.runa.testing.SyntheticDetectors.Kind;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code runa bench serve}: its last line is the contract's JSON, over real HTTP (tiny model, few requests). */
class ServeBenchCommandTest {
    @Test
    void lastLineIsTheContractJson() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = run(
                out,
                err,
                "bench",
                "serve",
                "--model",
                "random:tiny",
                "--classes",
                "a,b",
                "--threads",
                "1",
                "--requests",
                "3",
                "--concurrency",
                "1,2");
        assertEquals(0, rc, err.toString());
        List<String> lines = out.toString().lines().toList();
        JsonNode last = HttpFixture.JSON.readTree(lines.get(lines.size() - 1));
        assertEquals(2, last.get("results").size());
        int c = 1;
        for (JsonNode r : last.get("results")) {
            assertEquals(c, r.get("concurrency").asInt());
            for (String k : new String[] {"requests_per_s", "boxes_per_s", "p50_ms", "p99_ms"}) {
                assertTrue(r.get(k).asDouble() > 0, k + " in " + r);
            }
            assertEquals(
                    4 * r.get("requests_per_s").asDouble(), r.get("boxes_per_s").asDouble(), 0.05);
            assertTrue(r.get("p99_ms").asDouble() >= r.get("p50_ms").asDouble());
            c *= 2;
        }
        assertTrue(last.get("in_process_boxes_per_s").asDouble() > 0);
    }

    @Test
    void withADetectorItPostsTheImageAloneToDetect(@TempDir Path dir) throws Exception {
        Path det = SyntheticDetectors.write(dir.resolve("det.onnx"), Kind.YOLOV8, true);
        Path picture = SyntheticDetectors.writePicture(
                dir.resolve("street.png"), 128, 96, new int[] {32, 16, 48, 32, 0xff0000}, new int[] {
                    64, 48, 96, 64, 0x00ff00
                });
        int found;
        try (ObjectDetector objects = ObjectDetector.open(det, DetectorOptions.defaults(1))) {
            found = objects.detect(ImageDecoder.decode(picture, DecodeOptions.DEFAULT))
                    .size();
        }
        assertTrue(found > 0, "the fixture picture has objects");
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int rc = run(
                out,
                err,
                "bench",
                "serve",
                "--model",
                "random:tiny",
                "--threads",
                "1",
                "--requests",
                "3",
                "--concurrency",
                "2",
                "--detector",
                det.toString(),
                "--image",
                picture.toString());
        assertEquals(0, rc, err.toString());
        List<String> lines = out.toString().lines().toList();
        JsonNode last = HttpFixture.JSON.readTree(lines.get(lines.size() - 1));
        assertEquals("/v1/detect", last.get("route").asText());
        assertEquals(found, last.get("boxes_per_request").asInt(), "the detector's boxes on the image");
        JsonNode r = last.get("results").get(0);
        assertEquals(
                found * r.get("requests_per_s").asDouble(), r.get("boxes_per_s").asDouble(), 0.05);
        assertTrue(last.get("in_process_boxes_per_s").asDouble() > 0);
    }

    @Test
    void detectorOptionsWithoutADetectorAreRefused() {
        StringWriter err = new StringWriter();
        int rc = run(new StringWriter(), err, "bench", "serve", "--model", "random:tiny", "--conf", "0.5");
        assertEquals(2, rc);
        assertTrue(err.toString().contains("--conf") && err.toString().contains("--detector"), err.toString());
    }

    @Test
    void nearestRankPercentile() {
        double[] v = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        assertEquals(5, ServiceBenchmark.pct(v, 0.5));
        assertEquals(10, ServiceBenchmark.pct(v, 0.99));
        assertEquals(1, ServiceBenchmark.pct(v, 0.01));
    }

    private static int run(StringWriter out, StringWriter err, String... args) {
        CommandLine cl = ServerMain.commandLine();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return cl.execute(args);
    }
}
