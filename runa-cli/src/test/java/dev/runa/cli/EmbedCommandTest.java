package dev.runa.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runa.clip.ClipConfig;
import dev.runa.clip.ClipImagePreprocessor;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.ImageFeatures;
import dev.runa.clip.RandomClipWeights;
import dev.runa.clip.VisionEncoder;
import dev.runa.image.ImageDecoder;
import dev.runa.testing.SharedReference;
import dev.runa.testing.TinyCheckpoints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class EmbedCommandTest {

    private static Path gradientPng(Path dir, String name, int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | ((x + y) % 256));
            }
        }
        Path p = dir.resolve(name);
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    private static float[] floats(JsonNode arr) {
        float[] f = new float[arr.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) arr.get(i).asDouble();
        }
        return f;
    }

    @Test
    void printsOneJsonDocumentInInputOrderMatchingTheEncoder(@TempDir Path tmp) throws Exception {
        Path model = TinyCheckpoints.write(tmp.resolve("model"), 42);
        Path a = gradientPng(tmp, "a.png", 64, 48);
        Path b = gradientPng(tmp, "b.png", 40, 70);
        CliRunner.Result r = CliRunner.run(
                "embed",
                "--model",
                model.toString(),
                "--image",
                a.toString(),
                "--image",
                b.toString(),
                "--text",
                "a photo of a cat",
                "--text",
                "dog",
                "--batch",
                "1");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(1, lines.length, "exactly one JSON document");
        JsonNode doc = new ObjectMapper().readTree(lines[0]);
        assertEquals(2, doc.get("images").size());
        assertEquals(a.toString(), doc.get("images").get(0).get("file").asText());
        assertEquals(b.toString(), doc.get("images").get(1).get("file").asText());
        assertEquals(64, doc.get("images").get(0).get("pooled").size());
        assertEquals(24, doc.get("images").get(0).get("embedding").size());
        assertEquals("dog", doc.get("texts").get(1).get("text").asText());
        assertEquals(77, doc.get("texts").get(0).get("ids").size());
        assertEquals(24, doc.get("texts").get(0).get("embedding").size());

        // Independent path: the same weights straight from RandomClipWeights through the encoder.
        ClipPreprocessed pre = new ClipPreprocessed(a);
        try (RandomClipWeights w = new RandomClipWeights(ClipConfig.tiny(), 42);
                VisionEncoder enc = VisionEncoder.open(ClipConfig.tiny(), w, EncoderOptions.defaults())) {
            ImageFeatures f = enc.encode(pre.pixels);
            // Exact: same weights, same graph, same input; JSON floats round-trip (Jackson writes shortest repr).
            assertArrayEquals(f.pooled(), floats(doc.get("images").get(0).get("pooled")));
            assertArrayEquals(f.embedding(), floats(doc.get("images").get(0).get("embedding")));
        }
    }

    private record ClipPreprocessed(float[] pixels) {
        ClipPreprocessed(Path file) {
            this(new ClipImagePreprocessor(32).preprocess(ImageDecoder.decode(file)));
        }
    }

    @Test
    void reportsAMissingImageWithoutAStackTrace(@TempDir Path tmp) throws Exception {
        Path model = TinyCheckpoints.write(tmp.resolve("model"), 1);
        CliRunner.Result r = CliRunner.run(
                "embed",
                "--model",
                model.toString(),
                "--image",
                tmp.resolve("nope.png").toString());
        assertEquals(2, r.exitCode());
        assertTrue(r.err().contains("nope.png"), r.err());
        assertTrue(!r.err().contains("\tat "), "no stack trace: " + r.err());
    }

    /**
     * End to end against OpenAI's CLIP (../shared/reference/tiny/expected.json): decoding, Pillow
     * resize, tokenizer, loader and network, from every checkpoint variant. F32 variants use the
     * project's parity bound (cosine >= 0.99999, max|diff| <= 1e-4 max|ref|). F16 weights carry a
     * relative rounding error of up to 2^-11 each; through 2+2 layers that moves outputs by ~1e-3,
     * so the F16 variant is held to cosine >= 0.9999 and 1e-2 relative.
     */
    @ParameterizedTest
    @CsvSource({
        "model.safetensors, model.safetensors, 0.99999, 1e-4",
        "model_with_position_ids.safetensors, model.safetensors, 0.99999, 1e-4",
        "pytorch_model.bin, pytorch_model.bin, 0.99999, 1e-4",
        "openai_model.safetensors, model.safetensors, 0.99999, 1e-4",
        "model_f16.safetensors, model.safetensors, 0.9999, 1e-2",
    })
    void everyTinyCheckpointMatchesOpenAiClip(
            String source, String asName, double minCos, double maxRel, @TempDir Path tmp) throws Exception {
        Path ref = SharedReference.require("reference/tiny");
        Path vocab = SharedReference.require("clip/bpe_simple_vocab_16e6.txt.gz");
        Path images = SharedReference.require("reference/images");
        Path dir = Files.createDirectories(tmp.resolve("tiny"));
        Files.copy(ref.resolve("config.json"), dir.resolve("config.json"));
        Files.createSymbolicLink(dir.resolve(asName), ref.resolve(source));
        Files.createSymbolicLink(dir.resolve("bpe_simple_vocab_16e6.txt.gz"), vocab);
        JsonNode expected =
                new ObjectMapper().readTree(ref.resolve("expected.json").toFile());

        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("embed", "--model", dir.toString()));
        for (JsonNode img : expected.get("images")) {
            args.add("--image");
            args.add(images.resolve(Path.of(img.get("path").asText()).getFileName())
                    .toString());
        }
        for (JsonNode t : expected.get("texts")) {
            args.add("--text");
            args.add(t.get("text").asText());
        }
        CliRunner.Result r = CliRunner.run(args.toArray(new String[0]));
        assertEquals(0, r.exitCode(), r.err());
        JsonNode doc = new ObjectMapper().readTree(r.out());
        for (int i = 0; i < expected.get("images").size(); i++) {
            JsonNode want = expected.get("images").get(i);
            JsonNode got = doc.get("images").get(i);
            assertClose(
                    want.get("vision_pooled"), got.get("pooled"), minCos, maxRel, source + " image " + i + " pooled");
            assertClose(
                    want.get("image_embeds"),
                    got.get("embedding"),
                    minCos,
                    maxRel,
                    source + " image " + i + " embedding");
        }
        for (int i = 0; i < expected.get("texts").size(); i++) {
            JsonNode want = expected.get("texts").get(i);
            JsonNode got = doc.get("texts").get(i);
            for (int j = 0; j < 77; j++) {
                assertEquals(
                        want.get("token_ids").get(j).asInt(),
                        got.get("ids").get(j).asInt(),
                        "text " + i + " id " + j);
            }
            assertClose(
                    want.get("text_embeds"),
                    got.get("embedding"),
                    minCos,
                    maxRel,
                    source + " text " + i + " embedding");
        }
    }

    private static void assertClose(JsonNode want, JsonNode got, double minCos, double maxRel, String what) {
        assertEquals(want.size(), got.size(), what);
        double dot = 0, nw = 0, ng = 0, maxDiff = 0, maxRef = 0;
        for (int i = 0; i < want.size(); i++) {
            double a = want.get(i).asDouble();
            double b = got.get(i).asDouble();
            dot += a * b;
            nw += a * a;
            ng += b * b;
            maxDiff = Math.max(maxDiff, Math.abs(a - b));
            maxRef = Math.max(maxRef, Math.abs(a));
        }
        double cos = dot / Math.sqrt(nw * ng);
        assertTrue(cos >= minCos, what + ": cosine " + cos);
        assertTrue(maxDiff / maxRef <= maxRel, what + ": max|diff|/max|ref| " + maxDiff / maxRef);
    }
}
