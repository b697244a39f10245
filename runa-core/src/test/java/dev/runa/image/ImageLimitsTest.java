package dev.runa.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Issue 9, items 2-4: size arithmetic, the decompression-bomb limit and truncated JPEGs. */
class ImageLimitsTest {

    @Test
    void theDefaultLimitIsPillows() {
        // PIL.Image.MAX_IMAGE_PIXELS = int(1024 * 1024 * 1024 // 4 // 3)
        assertEquals(1024L * 1024 * 1024 / 4 / 3, DecodeOptions.DEFAULT_MAX_PIXELS);
        assertEquals(DecodeOptions.DEFAULT_MAX_PIXELS, DecodeOptions.DEFAULT.maxPixels());
    }

    @Test
    void sampleCountsNeverOverflow() {
        // The 32000x32000 grey PNG: 1.024e9 samples fit, three bands (3.072e9) do not.
        assertEquals(1_024_000_000, PixelImage.sampleCount(32000, 32000, 1));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> PixelImage.sampleCount(32000, 32000, 3));
        assertTrue(e.getMessage().contains("3072000000"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PixelImage.sampleCount(65536, 65536, 1));
    }

    @Test
    void aDecompressionBombIsRefusedFromItsHeaderBeforeAnyPixelIsAllocated() throws Exception {
        byte[] bomb = HostileImages.bombPng(32000, 32000);
        assertTrue(bomb.length < 10_000, "a few KB claiming a gigapixel: " + bomb.length);
        long before = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        ImageDecodeException e = assertThrows(
                ImageDecodeException.class, () -> ImageDecoder.decode(bomb, "bomb.png", DecodeOptions.DEFAULT));
        assertEquals(ImageDecodeException.Kind.TOO_LARGE, e.kind());
        assertTrue(e.getMessage().contains("bomb.png"), e.getMessage());
        assertTrue(e.getMessage().contains("32000x32000"), e.getMessage());
        assertTrue(e.getMessage().contains("89478485"), e.getMessage());
    }

    @Test
    void aboveTheLimitWarnsAboveTwiceItRefusesAsPillowDoes() throws Exception {
        byte[] png = HostileImages.bombPng(100, 50); // 5000 pixels
        List<String> warnings = new ArrayList<>();
        DecodeOptions base = DecodeOptions.DEFAULT.withWarnings(warnings::add);

        // 5000 <= limit: silent. (The bomb file is short of rows: only the header matters here.)
        assertThrowsNotTooLarge(() -> ImageDecoder.decode(png, "p.png", base.withMaxPixels(5000)));
        assertEquals(List.of(), warnings);
        // limit < 5000 <= 2 * limit: a warning naming the file, then decoding goes on.
        assertThrowsNotTooLarge(() -> ImageDecoder.decode(png, "p.png", base.withMaxPixels(2500)));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("p.png") && warnings.get(0).contains("5000 pixels"), warnings.get(0));
        // 5000 > 2 * limit: refused.
        ImageDecodeException e = assertThrows(
                ImageDecodeException.class, () -> ImageDecoder.decode(png, "p.png", base.withMaxPixels(2499)));
        assertEquals(ImageDecodeException.Kind.TOO_LARGE, e.kind());
    }

    // The short bomb PNG decodes to an error of another kind (missing rows), never TOO_LARGE.
    private static void assertThrowsNotTooLarge(Runnable decode) {
        try {
            decode.run();
        } catch (ImageDecodeException e) {
            assertTrue(e.kind() != ImageDecodeException.Kind.TOO_LARGE, e.getMessage());
        }
    }

    @Test
    void aTruncatedJpegIsAnErrorUnlessAllowedAsPillowsLoadTruncatedImages() throws Exception {
        byte[] cut = HostileImages.truncatedJpeg(160, 120, 3);
        ImageDecodeException e = assertThrows(
                ImageDecodeException.class, () -> ImageDecoder.decode(cut, "cut.jpg", DecodeOptions.DEFAULT));
        assertEquals(ImageDecodeException.Kind.TRUNCATED, e.kind());
        assertTrue(e.getMessage().contains("cut.jpg") && e.getMessage().contains("truncated"), e.getMessage());

        PixelImage grey = ImageDecoder.decode(cut, "cut.jpg", DecodeOptions.DEFAULT.withAllowTruncated(true));
        assertEquals(160, grey.width());
        // The missing bottom rows are the decoder's flat fill.
        int last = grey.sample(80, 119, 0);
        for (int x = 0; x < 160; x += 7) {
            assertEquals(last, grey.sample(x, 119, 0));
        }
    }

    @Test
    void aJpegMissingOnlyItsEndMarkerKeepsEveryPixelAndDecodes() throws Exception {
        byte[] full = HostileImages.jpeg(64, 48, 4);
        byte[] noEoi = Arrays.copyOf(full, full.length - 2);
        assertEquals(
                ImageDecoder.decode(full, "a.jpg", DecodeOptions.DEFAULT),
                ImageDecoder.decode(noEoi, "a.jpg", DecodeOptions.DEFAULT));
    }
}
