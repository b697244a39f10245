package dev.runa.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runa.testing.SyntheticDetectors;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runa serve --detector} as a real process: the command line opens the detector, takes its
 * class names as the ID classes by default, serves {@code /v1/detect}, and stops on SIGTERM with
 * exit 0; a file that is not a detector is refused with one clear line and exit 2.
 */
class ServeDetectorProcessTest {
    @TempDir
    Path dir;

    @Test
    void serveWithADetectorAnswersDetectAndStopsCleanly() throws Exception {
        Path model = SyntheticDetectors.write(dir.resolve("det.onnx"), SyntheticDetectors.Kind.YOLOV5, true);
        byte[] png = Files.readAllBytes(SyntheticDetectors.writePicture(
                dir.resolve("p.png"), 128, 96, new int[] {32, 16, 48, 32, 0xff0000}, new int[] {64, 48, 96, 64, 0x00ff00
                }));
        Path err = dir.resolve("err.txt");
        Process p = ServerProcesses.serve("--detector", model.toString(), "--conf", "0.3", "--max-det", "5")
                .redirectError(err.toFile())
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            String line = out.readLine();
            Matcher m = Pattern.compile("listening on (http://127\\.0\\.0\\.1:\\d+)")
                    .matcher(line == null ? "" : line);
            assertTrue(m.matches(), "first stdout line: " + line + "; stderr: " + Files.readString(err));
            assertTrue(Files.readString(err).contains("detector " + model + " (yolov5, 3 classes)"));
            HttpFixture http = new HttpFixture(m.group(1));
            JsonNode info = http.get("/v1/info").json();
            assertEquals("[\"red\",\"green\",\"blue\"]", info.get("classes").toString());
            assertEquals(0.3, info.get("detector").get("conf").asDouble());
            assertEquals(5, info.get("detector").get("max_det").asInt());
            HttpFixture.Reply r = http.post("/v1/detect", "application/json", DetectEndpointTest.imageOnlyJson(png));
            assertEquals(200, r.status(), r.body());
            List<String> labels = new ArrayList<>();
            r.json().get("boxes").forEach(b -> labels.add(b.get("label").asText()));
            assertTrue(labels.contains("red") && labels.contains("green"), labels.toString());
            assertTrue(labels.size() <= 5, labels.toString());
            p.destroy(); // SIGTERM
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "server did not exit");
            assertEquals(0, p.exitValue());
        } finally {
            p.destroyForcibly();
        }
    }

    @Test
    void aFileThatIsNotADetectorIsOneClearLine() throws Exception {
        Path bad = Files.writeString(dir.resolve("bad.onnx"), "not a model");
        Path err = dir.resolve("err.txt");
        Process p = ServerProcesses.serve("--detector", bad.toString())
                .redirectError(err.toFile())
                .start();
        try {
            assertTrue(p.waitFor(120, TimeUnit.SECONDS), "server did not exit");
            assertEquals(2, p.exitValue());
            String text = Files.readString(err);
            assertTrue(text.startsWith("runa: " + bad + ": not an ONNX model"), text);
            assertTrue(!text.contains("\tat "), "stack trace: " + text);
        } finally {
            p.destroyForcibly();
        }
    }
}
