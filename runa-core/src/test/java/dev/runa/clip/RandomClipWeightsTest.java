package dev.runa.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.clip.checkpoint.WeightSource;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The spread options of the random weights behind {@code random:NAME} and {@code random:NAME-trained-ln}. */
class RandomClipWeightsTest {
    static float[] values(WeightSource w, String name) {
        FloatBuffer b = w.tensor(name).asFloats();
        float[] a = new float[b.remaining()];
        b.get(a);
        return a;
    }

    /** Sample mean and standard deviation. */
    static double[] moments(float[] a) {
        double mean = 0;
        for (float v : a) {
            mean += v / (double) a.length;
        }
        double var = 0;
        for (float v : a) {
            var += (v - mean) * (v - mean) / a.length;
        }
        return new double[] {mean, Math.sqrt(var)};
    }

    @Test
    void trainedLayerNormsHaveTheRequestedSpreadAndLeaveTheOtherWeightsAlone() {
        ClipConfig c = ClipConfig.vitB16();
        String ln = "vision_model.encoder.layers.3.layer_norm1.";
        try (RandomClipWeights plain = new RandomClipWeights(c, 0);
                RandomClipWeights trained = new RandomClipWeights(c, 0, RandomClipWeights.LayerNorms.TRAINED)) {
            // 768 samples: the sample std is within ~3 * std / sqrt(2 * 768) = 7.7% of the true one.
            double[] bias = moments(values(trained, ln + "bias"));
            assertEquals(0.05, bias[1], 0.05 * 0.1, "LayerNorm bias std");
            assertEquals(0, bias[0], 3 * 0.05 / Math.sqrt(768), "LayerNorm bias mean");
            double[] gain = moments(values(trained, ln + "weight"));
            assertEquals(1, gain[0], 3 * 0.1 / Math.sqrt(768), "LayerNorm gain mean");
            assertEquals(0.1, gain[1], 0.1 * 0.1, "LayerNorm gain std");
            // post_layernorm is a LayerNorm in the trained spread (a plain weight in the default one).
            assertEquals(1, moments(values(trained, "vision_model.post_layernorm.weight"))[0], 0.011);
            assertEquals(0, moments(values(plain, "vision_model.post_layernorm.weight"))[0], 0.003);
            assertEquals(0.02, moments(values(plain, ln + "bias"))[1], 0.002);
            // Every other tensor is the same draw.
            for (String name : new String[] {
                "vision_model.encoder.layers.3.mlp.fc1.weight", "vision_model.embeddings.class_embedding"
            }) {
                assertEquals(
                        java.util.Arrays.hashCode(values(plain, name)),
                        java.util.Arrays.hashCode(values(trained, name)),
                        name);
            }
            assertNotEquals(plain.description(), trained.description());
        }
    }

    @Test
    void theLoaderResolvesTheTrainedLayerNormSuffix() {
        HubSettings offline = HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "1"), Path.of("/nonexistent"));
        ClipLoader loader = new ClipLoader(new HubClient(offline), EncoderOptions.defaults());
        ClipLoader.Checkpoint c = loader.resolve("random:tiny-trained-ln");
        try (WeightSource w = c.weights()) {
            assertEquals("random:tiny-trained-ln", c.identity());
            assertEquals(ClipConfig.tiny().vision(), c.config().vision());
            double[] bias = moments(values(w, "vision_model.encoder.layers.0.layer_norm2.bias"));
            // 64 samples: within ~3 * std / sqrt(2 * 64) = 27% of 0.05, and far from the default 0.02.
            assertTrue(bias[1] > 0.035 && bias[1] < 0.065, "bias std " + bias[1]);
        }
    }
}
