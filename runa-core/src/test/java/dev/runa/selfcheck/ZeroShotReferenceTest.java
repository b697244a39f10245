package dev.runa.selfcheck;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runa.testing.SharedReference;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** ZeroShot's logits against OpenAI's {@code logits_per_image} from the same embeddings (reference pack). */
class ZeroShotReferenceTest {
    private static float[] floats(JsonNode a) {
        float[] f = new float[a.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) a.get(i).asDouble();
        }
        return f;
    }

    @Test
    void logitsAreOpenAisLogitsPerImage() throws IOException {
        Path file = SharedReference.require("reference/tiny/expected.json");
        JsonNode e = new ObjectMapper().readTree(file.toFile());
        List<float[]> texts = new ArrayList<>();
        for (JsonNode t : e.get("texts")) {
            texts.add(floats(t.get("text_embeds")));
        }
        double scale = e.get("logit_scale_exp").asDouble();
        for (int i = 0; i < e.get("images").size(); i++) {
            double[] z = ZeroShot.logits(floats(e.get("images").get(i).get("image_embeds")), texts, scale);
            for (int t = 0; t < z.length; t++) {
                // float32 embeddings and a float32 PyTorch matmul: ~1e-6 relative
                double ref = e.get("logits_per_image").get(i).get(t).asDouble();
                assertEquals(ref, z[t], 1e-5 * Math.max(1, Math.abs(ref)), "image " + i + " text " + t);
            }
        }
    }

    @Test
    void softmaxSurvivesLargeLogits() {
        double[] p = ZeroShot.softmax(new double[] {1000, 1000 + Math.log(3)});
        assertEquals(0.25, p[0], 1e-12);
        assertEquals(0.75, p[1], 1e-12);
    }
}
