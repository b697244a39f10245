package dev.runa.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runa.clip.checkpoint.SafetensorsFile;
import dev.runa.clip.graph.AttentionKind;
import dev.runa.testing.SharedReference;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Golden parity with OpenAI's PyTorch CLIP on the random-weight tiny checkpoint of
 * {@code ../shared/reference/tiny} (tolerances: see {@link Parity}).
 */
class TinyReferenceParityTest {

    private static double[] doubles(JsonNode array) {
        double[] d = new double[array.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = array.get(i).asDouble();
        }
        return d;
    }

    @ParameterizedTest
    @EnumSource(AttentionKind.class)
    void imagesAndTextsMatchOpenAi(AttentionKind attention) throws IOException {
        Path dir = SharedReference.require("reference/tiny");
        JsonNode expected = new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        ClipConfig config = ClipConfig.fromHuggingFaceJson(dir.resolve("config.json"), "tiny");
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("pixels_32.f32"))).order(ByteOrder.LITTLE_ENDIAN);
        float[] pixels = new float[raw.remaining() / 4];
        raw.asFloatBuffer().get(pixels);
        int images = expected.get("images").size();

        EncoderOptions options = EncoderOptions.defaults().withAttention(attention);
        try (SafetensorsFile weights = SafetensorsFile.open(dir.resolve("model.safetensors"));
             VisionEncoder vision = VisionEncoder.open(config, weights, options);
             TextEncoder text = TextEncoder.open(config, weights, options)) {
            List<ImageFeatures> got = vision.encode(pixels, images);
            for (int i = 0; i < images; i++) {
                JsonNode img = expected.get("images").get(i);
                worst(Parity.assertClose(doubles(img.get("vision_pooled")), got.get(i).pooled(), "image " + i + " pooled"));
                worst(Parity.assertClose(doubles(img.get("image_embeds")), got.get(i).embedding(), "image " + i + " embedding"));
            }
            JsonNode texts = expected.get("texts");
            int[][] ids = new int[texts.size()][];
            for (int i = 0; i < ids.length; i++) {
                JsonNode t = texts.get(i).get("token_ids");
                ids[i] = new int[t.size()];
                for (int j = 0; j < t.size(); j++) {
                    ids[i][j] = t.get(j).asInt();
                }
            }
            List<TextFeatures> tf = text.encode(ids);
            for (int i = 0; i < ids.length; i++) {
                JsonNode t = texts.get(i);
                if (t.has("text_pooled")) {
                    worst(Parity.assertClose(doubles(t.get("text_pooled")), tf.get(i).pooled(), "text " + i + " pooled"));
                }
                worst(Parity.assertClose(doubles(t.get("text_embeds")), tf.get(i).embedding(), "text " + i + " embedding"));
            }
            System.out.printf("tiny parity (%s): worst cosine %.9f, worst max|diff|/max|ref| %.3g%n",
                    attention, worstCos, worstRel);
        }
    }

    private double worstCos = 1;
    private double worstRel = 0;

    private void worst(double[] cosRel) {
        worstCos = Math.min(worstCos, cosRel[0]);
        worstRel = Math.max(worstRel, cosRel[1]);
    }
}
