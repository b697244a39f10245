package dev.runa.server;

import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.LoadedClip;
import dev.runa.clip.Precision;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.ood.Calibration;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.RunaOptions;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;

/** The tiny generated model and test images the server tests share. */
final class TestModels {
    static final List<String> CLASSES = List.of("red square", "green circle", "blue sky");

    private TestModels() {}

    /** {@code random:tiny} with three classes, encoder batches of {@code maxBatch} views. */
    static RunaDetector tiny(int maxBatch, Precision precision) {
        return tiny(maxBatch, precision, null);
    }

    /** Like {@link #tiny(int, Precision)}, deciding ID/OOD with {@code calibration} (may be null). */
    static RunaDetector tiny(int maxBatch, Precision precision, Calibration calibration) {
        return tiny(maxBatch, precision, calibration, CLASSES);
    }

    /** Like {@link #tiny(int, Precision, Calibration)} with other ID classes (an object detector's). */
    static RunaDetector tiny(int maxBatch, Precision precision, Calibration calibration, List<String> classes) {
        LoadedClip clip = new ClipLoader(
                        new HubClient(HubSettings.fromEnvironment().withOffline(true)),
                        EncoderOptions.defaults()
                                .withThreads(1)
                                .withPrecision(precision)
                                .withMaxRunBatch(maxBatch))
                .load("random:tiny");
        return RunaDetector.open(
                clip,
                RunaOptions.defaults(PromptSet.of(classes))
                        .withMaxViewsPerCall(maxBatch)
                        .withCalibration(calibration));
    }

    /** A flat grey image as PNG: many pixels in few bytes. */
    static byte[] flatPng(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    /** A noisy colour field of the given size as PNG (seeded: the same bytes every run). */
    static byte[] png(int w, int h, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, r.nextInt(1 << 24));
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(img, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
