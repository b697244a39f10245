package dev.runa.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runa.batch.BatchScorer;
import dev.runa.batch.DetectedBox;
import dev.runa.batch.ScoringJob;
import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.Precision;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.data.Box;
import dev.runa.image.DecodeOptions;
import dev.runa.ood.Calibration;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.RunaOptions;
import dev.runa.ood.ScoreKind;
import dev.runa.output.BoxRow;
import dev.runa.output.JsonLinesFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A response's box objects equal the rows {@code runa score} writes for the same image, boxes and
 * settings (its own code path: BatchScorer, BoxRow, JsonLinesFormat), key by key, to the bit.
 */
class ScoreEquivalenceTest {
    @TempDir
    Path dir;

    @Test
    void responsesEqualScoreRows() throws Exception {
        byte[] png = TestModels.png(120, 90, 5);
        Path file = dir.resolve("street.png");
        Files.write(file, png);
        double[][] boxes = {
            {0, 0, 120, 90}, {10.5, 5.25, 70.75, 60}, {50, 40, 50, 80}, {-20, -10, 30, 30}, {100, 70, 500, 400}
        };
        List<DetectedBox> detected = new ArrayList<>();
        for (double[] b : boxes) {
            detected.add(DetectedBox.of(new Box(b[0], b[1], b[2], b[3])));
        }
        try (RunaDetector plain = open(null)) {
            // A threshold in the middle of this image's scores, so that both decisions occur.
            List<Double> s = new ArrayList<>();
            for (var r : plain.score(
                    dev.runa.image.ImageDecoder.decode(file),
                    detected.stream().map(DetectedBox::box).toList())) {
                if (r.scores() != null) {
                    s.add(r.scores().maxsim());
                }
            }
            double[] scores = s.stream().mapToDouble(Double::doubleValue).toArray();
            Calibration cal = Calibration.fit(scores, ScoreKind.MAXSIM, 0.5, plain.settings());
            for (Calibration c : new Calibration[] {null, cal}) {
                try (RunaDetector runa = open(c)) {
                    List<String> rows = new ArrayList<>();
                    JsonLinesFormat format = new JsonLinesFormat(false);
                    new BatchScorer(runa, DecodeOptions.DEFAULT, 1, 1)
                            .run(List.of(new ScoringJob(0, null, file, detected)), img -> {
                                for (BoxRow row :
                                        BoxRow.of(img, runa.options().prompts().labels())) {
                                    rows.add(format.format(row));
                                }
                            });
                    try (RunaServer server = RunaServer.start(
                            runa, new ServerConfig("127.0.0.1", 0, 8, 1, null, ServerLimits.DEFAULT))) {
                        HttpFixture http = new HttpFixture(server.url());
                        HttpFixture.Reply reply =
                                http.post("/v1/score", "application/json", HttpFixture.jsonBody(png, boxes));
                        assertEquals(200, reply.status(), reply.body());
                        JsonNode got = reply.json().get("boxes");
                        assertEquals(rows.size(), got.size());
                        int ood = 0;
                        for (int i = 0; i < rows.size(); i++) {
                            JsonNode row = HttpFixture.JSON.readTree(rows.get(i));
                            for (String key : new String[] {"box", "scores", "ood", "best_class", "crop", "error"}) {
                                assertEquals(row.get(key), got.get(i).get(key), "box " + i + " key " + key);
                            }
                            ood += got.get(i).get("ood").asBoolean() ? 1 : 0;
                        }
                        assertTrue(got.get(2).get("scores").isNull(), "degenerate box scored");
                        if (c != null) {
                            assertTrue(ood > 0 && ood < 4, "both decisions expected, got " + ood + " OOD");
                        } else {
                            assertTrue(got.get(0).get("ood").isNull());
                        }
                    }
                }
            }
        }
    }

    private static RunaDetector open(Calibration c) {
        var clip = new ClipLoader(
                        new HubClient(HubSettings.fromEnvironment().withOffline(true)),
                        EncoderOptions.defaults().withThreads(1).withPrecision(Precision.FP32))
                .load("random:tiny");
        return RunaDetector.open(
                clip, RunaOptions.defaults(PromptSet.of(TestModels.CLASSES)).withCalibration(c));
    }
}
