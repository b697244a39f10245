package dev.runa.spark;

import com.fasterxml.jackson.databind.JsonNode;
import dev.runa.batch.BatchScorer;
import dev.runa.batch.ScoringJobs;
import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.data.LabelSet;
import dev.runa.image.DecodeOptions;
import dev.runa.ood.BoxResult;
import dev.runa.ood.Calibration;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.RunaOptions;
import dev.runa.ood.ScoreKind;
import dev.runa.output.BoxRow;
import dev.runa.output.JsonLinesFormat;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What {@code runa score} and {@code runa calibrate} compute for the same inputs, run as their
 * commands run it (runa-cli's ScoreCommand and CalibrateCommand are thin shells over exactly these
 * core classes; this module must not depend on the CLI): a detector opened with the CLI's defaults
 * (2 ONNX Runtime threads, lambda 0.5, default views), {@link BatchScorer} with 2 decode workers and
 * 4 images per batch, and {@link JsonLinesFormat} rows.
 */
final class InProcessReference {
    private InProcessReference() {}

    static RunaDetector open(Path model, String classes, double lambda, Calibration calibration) throws Exception {
        ClipLoader loader = new ClipLoader(
                new HubClient(HubSettings.fromEnvironment().withProgress(false)),
                EncoderOptions.defaults().withThreads(2));
        RunaOptions o = RunaOptions.defaults(
                        new PromptSet(LabelSet.parse(classes).promptLabels(), PromptSet.DEFAULT_TEMPLATE))
                .withLambda(lambda)
                .withCalibration(calibration);
        return RunaDetector.open(loader.load(model.toString()), o);
    }

    /** The JSON Lines rows {@code runa score --images --detections --image-list --min-confidence} prints. */
    static synchronized List<JsonNode> scoreRows(
            SparkFixture f, double minConfidence, double lambda, Calibration calibration) throws Exception {
        String key = minConfidence + "/" + lambda + "/" + (calibration == null ? "" : calibration.toString());
        List<JsonNode> cached = ROWS.get(key);
        if (cached == null) {
            cached = computeRows(f, minConfidence, lambda, calibration);
            ROWS.put(key, cached);
        }
        return cached;
    }

    // Tests compare against the same reference many times; it is computed once per JVM.
    private static final Map<String, List<JsonNode>> ROWS = new HashMap<>();

    private static List<JsonNode> computeRows(
            SparkFixture f, double minConfidence, double lambda, Calibration calibration) throws Exception {
        ScoringJobs jobs = ScoringJobs.fromCoco(f.images, f.detections, f.imageList, minConfidence);
        List<JsonNode> rows = new ArrayList<>();
        JsonLinesFormat format = new JsonLinesFormat(false);
        try (RunaDetector runa = open(f.model, SparkFixture.CLASSES, lambda, calibration)) {
            List<String> labels = runa.options().prompts().labels();
            new BatchScorer(runa, DecodeOptions.DEFAULT, 2, 4).run(jobs.jobs(), image -> {
                for (BoxRow row : BoxRow.of(image, labels)) {
                    rows.add(SparkFixture.JSON.readTree(format.format(row)));
                }
            });
        }
        return rows;
    }

    /** The calibration {@code runa calibrate --tpr RATE} writes. */
    static Calibration calibrate(SparkFixture f, double minConfidence, double rate, ScoreKind kind) throws Exception {
        ScoringJobs jobs = ScoringJobs.fromCoco(f.images, f.detections, f.imageList, minConfidence);
        try (RunaDetector runa = open(f.model, SparkFixture.CLASSES, 0.5, null)) {
            double[] scores = new double[jobs.boxes()];
            int[] n = {0};
            new BatchScorer(runa, DecodeOptions.DEFAULT, 2, 4).run(jobs.jobs(), image -> {
                for (BoxResult r : image.results()) {
                    if (r.ok()) {
                        scores[n[0]++] = r.scores().get(kind);
                    }
                }
            });
            return Calibration.fit(Arrays.copyOf(scores, n[0]), kind, rate, runa.settings());
        }
    }
}
