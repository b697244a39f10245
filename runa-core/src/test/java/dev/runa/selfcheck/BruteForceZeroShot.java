package dev.runa.selfcheck;

import dev.runa.clip.ClipConfig;
import dev.runa.clip.ClipImagePreprocessor;
import dev.runa.clip.RandomClipWeights;
import dev.runa.clip.ReferenceClip;
import dev.runa.clip.tokenizer.BpeVocabulary;
import dev.runa.clip.tokenizer.ClipTokenizer;
import dev.runa.image.ImageDecoder;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/**
 * Expected zero-shot probabilities for {@code random:tiny} computed without ONNX Runtime: the plain
 * double-precision {@link ReferenceClip} forward on the same seeded weights, cosine and softmax
 * written out here. Public for runa-cli's tests (test-jar).
 */
public final class BruteForceZeroShot {
    private BruteForceZeroShot() {}

    /** {@code random:NAME} models use seed 0 (ClipLoader). */
    private static final long RANDOM_SEED = 0;

    /** Logits ({@code exp(logit_scale) * cosine}) of {@code random:tiny} for the image file and prompts. */
    public static double[] tinyLogits(Path image, List<String> prompts) throws IOException {
        ClipConfig config = ClipConfig.tiny();
        try (RandomClipWeights w = new RandomClipWeights(config, RANDOM_SEED)) {
            ReferenceClip ref = new ReferenceClip(config, w);
            double scale = Math.exp(w.tensor("logit_scale").asFloats().get(0));
            float[] pixels =
                    new ClipImagePreprocessor(config.vision().imageSize()).preprocess(ImageDecoder.decode(image));
            double[] img = ref.vision(pixels)[1];
            ClipTokenizer tok = new ClipTokenizer(BpeVocabulary.bytesOnly());
            double[] logits = new double[prompts.size()];
            for (int t = 0; t < logits.length; t++) {
                double[] txt = ref.text(tok.encode(prompts.get(t)).ids())[1];
                double dot = 0, a = 0, b = 0;
                for (int i = 0; i < img.length; i++) {
                    dot += img[i] * txt[i];
                    a += img[i] * img[i];
                    b += txt[i] * txt[i];
                }
                logits[t] = scale * dot / Math.sqrt(a * b);
            }
            return logits;
        }
    }

    /** Softmax written out (no shift: these logits are small). */
    public static double[] softmax(double[] z) {
        double[] p = new double[z.length];
        double s = 0;
        for (int i = 0; i < z.length; i++) {
            p[i] = Math.exp(z[i]);
            s += p[i];
        }
        for (int i = 0; i < z.length; i++) {
            p[i] /= s;
        }
        return p;
    }

    /** A PNG of smooth colour bands plus noise. */
    public static Path picture(Path file, int w, int h, long seed) throws IOException {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int red = (x * 255 / w + r.nextInt(20)) & 0xff;
                int green = (y * 255 / h + r.nextInt(20)) & 0xff;
                int blue = ((x + y) % 64 < 32 ? 200 : 40) + r.nextInt(20);
                img.setRGB(x, y, red << 16 | green << 8 | blue);
            }
        }
        ImageIO.write(img, "png", file.toFile());
        return file;
    }
}
