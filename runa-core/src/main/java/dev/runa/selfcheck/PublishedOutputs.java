package dev.runa.selfcheck;

import dev.runa.data.Cifar100Binary;
import dev.runa.demo.PhotoCache;
import dev.runa.image.ImageDecoder;
import dev.runa.image.PixelImage;
import dev.runa.io.CacheFolders;
import dev.runa.io.Sha256;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/**
 * The two outputs of ViT-B/32 ({@code openai/clip-vit-base-patch32}) that OpenAI's CLIP README
 * publishes (https://github.com/openai/CLIP, sections "Usage" and "Zero-Shot Prediction"), as
 * {@link ZeroShotCase}s, and where their inputs come from.
 */
public final class PublishedOutputs {
    private PublishedOutputs() {}

    /** The model both outputs were computed with. */
    public static final String MODEL = "openai/clip-vit-base-patch32";

    /** The diagram at the root of the CLIP repository. */
    public static final String CLIP_PNG = "CLIP.png";

    /** Raw download URL of {@link #CLIP_PNG} on the repository's default branch. */
    public static final String CLIP_PNG_URL = "https://raw.githubusercontent.com/openai/CLIP/main/CLIP.png";

    /** The README's prompts for CLIP.png (the prompts are the labels). */
    public static final List<String> CLIP_PNG_LABELS = List.of("a diagram", "a dog", "a cat");

    /** As the README prints them: {@code [[0.9927937  0.00421068 0.00299572]]}. */
    public static final List<String> CLIP_PNG_PROBABILITIES = List.of("0.9927937", "0.00421068", "0.00299572");

    public static final String CLIP_PNG_SOURCE =
            "OpenAI CLIP README (github.com/openai/CLIP, 'Usage'): ViT-B/32, softmax of logit_scale x cosine";

    /** The CIFAR-100 test image of the README's zero-shot example. */
    public static final int CIFAR_INDEX = 3637;

    /** The README's prompt template, filled with torchvision's CIFAR-100 class names (underscores kept). */
    public static final String CIFAR_TEMPLATE = "a photo of a %s";

    public static final List<String> CIFAR_TOP5 = List.of("snake", "turtle", "sweet_pepper", "lizard", "crocodile");

    /** As the README prints them (percent, two decimals). */
    public static final List<String> CIFAR_TOP5_PERCENT = List.of("65.31%", "12.29%", "3.83%", "1.88%", "1.75%");

    public static final String CIFAR_SOURCE = "OpenAI CLIP README (github.com/openai/CLIP, 'Zero-Shot Prediction'):"
            + " ViT-B/32, CIFAR-100 test image 3637, top 5 of softmax(100 x cosine)";

    /** The README uses a fixed 100 for CIFAR-100 (the trained checkpoint's scale is 100 as well). */
    public static final double CIFAR_SCALE = 100.0;

    /** Where {@code runa selfcheck} keeps CLIP.png: {@code $XDG_CACHE_HOME/runa/selfcheck} or {@code ~/.cache/runa/selfcheck}. */
    public static Path defaultCacheDir() {
        return CacheFolders.runa("selfcheck");
    }

    /**
     * CLIP.png from {@code cache}, fetched from {@code url} on first use by the demo photos' rules: a
     * cached copy needs no network.
     *
     * <p>The failure names the {@code image} setting, which takes a local copy instead.
     */
    public static Path fetchClipPng(PhotoCache cache, String url) throws IOException {
        return cache.get(
                CLIP_PNG, url, "selfcheck image", "Without network, save it from that address and give it as", "image");
    }

    /** The CLIP.png check on a local copy of the file. */
    public static ZeroShotCase clipPng(Path file, Tolerance tolerance) throws IOException {
        PixelImage image = ImageDecoder.decode(file);
        return new ZeroShotCase(
                CLIP_PNG,
                image,
                describe(file, image),
                CLIP_PNG_LABELS,
                CLIP_PNG_LABELS,
                OptionalDouble.empty(),
                ExpectedProbabilities.printed(CLIP_PNG_SOURCE, CLIP_PNG_LABELS, CLIP_PNG_PROBABILITIES, true),
                tolerance);
    }

    /** The CIFAR-100 check: test image 3637 against "a photo of a {class}" for the 100 fine classes. */
    public static ZeroShotCase cifar(Cifar100Binary test, Tolerance tolerance) throws IOException {
        Cifar100Binary.Record r = test.get(CIFAR_INDEX);
        List<String> prompts = new ArrayList<>();
        for (String name : test.fineLabelNames()) {
            prompts.add(String.format(Locale.ROOT, CIFAR_TEMPLATE, name));
        }
        for (String l : CIFAR_TOP5) {
            if (!test.fineLabelNames().contains(l)) {
                throw new IllegalArgumentException(test.file().resolveSibling(Cifar100Binary.FINE_LABEL_NAMES)
                        + ": no class '" + l + "': not CIFAR-100's fine label names");
            }
        }
        return new ZeroShotCase(
                "CIFAR-100 #" + CIFAR_INDEX,
                r.image(),
                test.file() + " image " + CIFAR_INDEX + " (labelled " + test.fineName(r) + ")",
                test.fineLabelNames(),
                prompts,
                OptionalDouble.of(CIFAR_SCALE),
                ExpectedProbabilities.printed(CIFAR_SOURCE, CIFAR_TOP5, CIFAR_TOP5_PERCENT, false),
                tolerance);
    }

    /** Any image against the expectation's labels (used as the prompts), with the checkpoint's scale. */
    public static ZeroShotCase custom(Path file, ExpectedProbabilities expected, Tolerance tolerance)
            throws IOException {
        PixelImage image = ImageDecoder.decode(file);
        return new ZeroShotCase(
                file.getFileName().toString(),
                image,
                describe(file, image),
                expected.labels(),
                expected.labels(),
                OptionalDouble.empty(),
                expected,
                tolerance);
    }

    /** Path, pixel size and SHA-256, so a user can tell whether their copy is the published file. */
    static String describe(Path file, PixelImage image) throws IOException {
        return file + " (" + image.width() + "x" + image.height() + " "
                + image.mode().pillowName() + ", sha256 " + Sha256.of(file).substring(0, 16) + ")";
    }
}
