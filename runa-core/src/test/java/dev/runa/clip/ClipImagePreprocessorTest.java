package dev.runa.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.runa.image.PixelImage;
import dev.runa.image.PixelMode;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Normalisation, layout and batch writing without reference data. */
class ClipImagePreprocessorTest {

    @Test
    void constantImageNormalisesPerChannelInChwOrder() {
        int n = 8;
        ClipImagePreprocessor pre = new ClipImagePreprocessor(n);
        byte[] d = new byte[20 * 12 * 3];
        for (int i = 0; i < d.length; i += 3) {
            d[i] = (byte) 255;
            d[i + 1] = (byte) 0;
            d[i + 2] = (byte) 128;
        }
        float[] batch = new float[2 * pre.floatsPerImage() + 5];
        pre.preprocess(new PixelImage(20, 12, PixelMode.RGB, d), batch, pre.floatsPerImage() + 5);
        int base = pre.floatsPerImage() + 5;
        int plane = n * n;
        for (int i = 0; i < plane; i++) {
            // Exact float32 arithmetic of ToTensor + Normalize.
            assertEquals((1f - 0.48145466f) / 0.26862954f, batch[base + i]);
            assertEquals((0f - 0.4578275f) / 0.26130258f, batch[base + plane + i]);
            assertEquals((128 / 255f - 0.40821073f) / 0.27577711f, batch[base + 2 * plane + i]);
        }
        assertEquals(0f, batch[base - 1]);
    }

    @Test
    void greyscaleBecomesThreeEqualChannelsBeforeNormalising() {
        ClipImagePreprocessor pre = new ClipImagePreprocessor(4);
        byte[] d = new byte[6 * 4];
        Arrays.fill(d, (byte) 90);
        float[] out = pre.preprocess(new PixelImage(6, 4, PixelMode.L, d));
        assertEquals((90 / 255f - 0.48145466f) / 0.26862954f, out[0]);
        assertEquals((90 / 255f - 0.40821073f) / 0.27577711f, out[2 * 16]);
    }

    @Test
    void badArgumentsAreRefused() {
        ClipImagePreprocessor pre = new ClipImagePreprocessor(4);
        PixelImage img = new PixelImage(4, 4, PixelMode.L, new byte[16]);
        assertThrows(IllegalArgumentException.class, () -> pre.preprocess(img, new float[47], 0));
        assertThrows(IllegalArgumentException.class, () -> pre.preprocess(img, new float[48], 1));
        assertThrows(IllegalArgumentException.class, () -> new ClipImagePreprocessor(0));
        assertThrows(
                IllegalArgumentException.class,
                () -> new ClipImagePreprocessor(4, new float[] {0, 0, 0}, new float[] {1, 0, 1}));
    }
}
