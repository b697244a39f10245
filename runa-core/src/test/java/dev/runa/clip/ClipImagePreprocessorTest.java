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

    /** Every 8-bit level of every channel normalises to exactly ToTensor then Normalize in float32. */
    @Test
    void everyLevelNormalisesBitExactly() {
        ClipImagePreprocessor pre = new ClipImagePreprocessor(16);
        byte[] px = new byte[16 * 16 * 3];
        for (int i = 0; i < 256; i++) {
            for (int c = 0; c < 3; c++) {
                px[i * 3 + c] = (byte) (i + 85 * c);
            }
        }
        float[] out = new float[pre.floatsPerImage()];
        pre.writeNormalized(new PixelImage(16, 16, PixelMode.RGB, px), out, 0);
        boolean[][] seen = new boolean[3][256];
        for (int i = 0; i < 256; i++) {
            for (int c = 0; c < 3; c++) {
                int v = px[i * 3 + c] & 0xFF;
                seen[c][v] = true;
                float expected =
                        ((float) v / 255f - ClipImagePreprocessor.CLIP_MEAN[c]) / ClipImagePreprocessor.CLIP_STD[c];
                assertEquals(Float.floatToIntBits(expected), Float.floatToIntBits(out[c * 256 + i]), "level " + v);
            }
        }
        for (int c = 0; c < 3; c++) {
            for (int v = 0; v < 256; v++) {
                assertEquals(true, seen[c][v], "level " + v + " of channel " + c + " covered");
            }
        }
    }
}
