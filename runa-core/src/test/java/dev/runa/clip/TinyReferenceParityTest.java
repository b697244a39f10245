package dev.runa.clip;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runa.clip.checkpoint.SafetensorsFile;
import dev.runa.clip.checkpoint.TorchCheckpointFile;
import dev.runa.clip.checkpoint.WeightSource;
import dev.runa.clip.graph.AttentionKind;
import dev.runa.testing.SharedReference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

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
        check("model.safetensors", attention, Parity.MIN_COSINE, Parity.MAX_RELATIVE_ERROR);
    }

    @ParameterizedTest
    @ValueSource(strings = {"model_with_position_ids.safetensors", "pytorch_model.bin"})
    void otherF32CheckpointFormatsMatchOpenAi(String file) throws IOException {
        check(file, AttentionKind.FUSED, Parity.MIN_COSINE, Parity.MAX_RELATIVE_ERROR);
    }

    /**
     * F16 weights differ from the F32 weights the golden values were computed with by up to 2^-11
     * relative (round to nearest with an 11-bit significand); through two pre-LN blocks and a
     * projection that moves outputs by about that much, so the bound is 1e-2 relative and cosine
     * 0.9999 (a wrong conversion, e.g. a byte-order or exponent-bias slip, costs far more).
     */
    @ParameterizedTest
    @EnumSource(AttentionKind.class)
    void f16CheckpointMatchesOpenAiWithinF16Rounding(AttentionKind attention) throws IOException {
        check("model_f16.safetensors", attention, 0.9999, 1e-2);
    }

    private void check(String file, AttentionKind attention, double minCos, double maxRel) throws IOException {
        Path dir = SharedReference.require("reference/tiny");
        SharedReference.require("reference/tiny/" + file);
        JsonNode expected =
                new ObjectMapper().readTree(dir.resolve("expected.json").toFile());
        ClipConfig config = ClipConfig.fromHuggingFaceJson(dir.resolve("config.json"), "tiny");
        ByteBuffer raw = ByteBuffer.wrap(Files.readAllBytes(dir.resolve("pixels_32.f32")))
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] pixels = new float[raw.remaining() / 4];
        raw.asFloatBuffer().get(pixels);
        int images = expected.get("images").size();

        worstCos = 1;
        worstRel = 0;
        EncoderOptions options = EncoderOptions.defaults().withAttention(attention);
        try (WeightSource weights = file.endsWith(".bin")
                        ? TorchCheckpointFile.open(dir.resolve(file))
                        : SafetensorsFile.open(dir.resolve(file));
                VisionEncoder vision = VisionEncoder.open(config, weights, options);
                TextEncoder text = TextEncoder.open(config, weights, options)) {
            List<ImageFeatures> got = vision.encode(pixels, images);
            for (int i = 0; i < images; i++) {
                JsonNode img = expected.get("images").get(i);
                worst(Parity.assertClose(
                        minCos,
                        maxRel,
                        doubles(img.get("vision_pooled")),
                        got.get(i).pooled(),
                        "image " + i + " pooled"));
                worst(Parity.assertClose(
                        minCos,
                        maxRel,
                        doubles(img.get("image_embeds")),
                        got.get(i).embedding(),
                        "image " + i + " embedding"));
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
                    worst(Parity.assertClose(
                            minCos,
                            maxRel,
                            doubles(t.get("text_pooled")),
                            tf.get(i).pooled(),
                            "text " + i + " pooled"));
                }
                worst(Parity.assertClose(
                        minCos,
                        maxRel,
                        doubles(t.get("text_embeds")),
                        tf.get(i).embedding(),
                        "text " + i + " embedding"));
            }
            System.out.printf(
                    "tiny parity %s (%s): worst cosine %.9f, worst max|diff|/max|ref| %.3g%n",
                    file, attention, worstCos, worstRel);
        }
    }

    private double worstCos;
    private double worstRel;

    private void worst(double[] cosRel) {
        worstCos = Math.min(worstCos, cosRel[0]);
        worstRel = Math.max(worstRel, cosRel[1]);
    }
}
