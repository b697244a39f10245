package dev.runa.clip;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runa.image.ClipGeometry;
import dev.runa.image.ImageDecoder;
import dev.runa.image.PillowResize;
import dev.runa.image.PixelImage;
import dev.runa.image.ResampleFilter;
import dev.runa.testing.SharedReference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * CLIP preprocessing against the Python reference (OpenAI CLIP on torchvision + Pillow 9.4) in
 * ../shared/reference: uint8 sums after resize and crop, and every element of the normalised
 * tensors.
 */
class ClipImagePreprocessorReferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    // One 8-bit level after normalisation is 1/255/std; the largest (smallest std) is the blue-ish
    // green channel: 1/255/0.26130258 = 0.0150.
    private static final double ONE_LEVEL = 1.0 / 255 / 0.26130258;

    @Test
    void matchesPreprocess224() throws IOException {
        check(
                SharedReference.require("reference/images/preprocess_224.json"),
                SharedReference.require("reference/images/pixels_224.f32"),
                224);
    }

    @Test
    void matchesTinyExpectedAt32() throws IOException {
        check(
                SharedReference.require("reference/tiny/expected.json"),
                SharedReference.require("reference/tiny/pixels_32.f32"),
                32);
    }

    private static void check(Path jsonFile, Path pixelsFile, int n) throws IOException {
        JsonNode images = JSON.readTree(jsonFile.toFile()).get("images");
        float[] expected = readF32(pixelsFile);
        Path referenceDir = SharedReference.require("reference");
        ClipImagePreprocessor pre = new ClipImagePreprocessor(n);
        int per = pre.floatsPerImage();
        assertEquals(images.size() * per, expected.length, "tensor count in " + pixelsFile);
        float[] actual = new float[expected.length];
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < images.size(); i++) {
            JsonNode ref = images.get(i);
            String path = ref.get("path").asText();
            PixelImage img = ImageDecoder.decode(referenceDir.resolve(path));
            assertEquals(ref.get("source_mode").asText(), img.mode().pillowName(), path + " mode");
            ClipGeometry.Size s = ClipGeometry.resizedSize(img.width(), img.height(), n);
            assertArrayEquals(
                    new int[] {
                        ref.get("resized_size").get(0).asInt(),
                        ref.get("resized_size").get(1).asInt()
                    },
                    new int[] {s.width(), s.height()},
                    path + " resized size");
            int left = ClipGeometry.centerCropOffset(s.width(), n);
            int top = ClipGeometry.centerCropOffset(s.height(), n);
            assertArrayEquals(
                    new int[] {left, top, left + n, top + n},
                    JSON.convertValue(ref.get("crop_box_ltrb"), int[].class),
                    path + " crop box");
            PixelImage resized = PillowResize.resize(img, s.width(), s.height(), ResampleFilter.BICUBIC);
            long resizedSum = resized.toRgb().sampleSum();
            long croppedSum = pre.resizeAndCrop(img).sampleSum();
            pre.preprocess(img, actual, i * per);
            double maxDiff = 0;
            for (int k = 0; k < per; k++) {
                maxDiff = Math.max(maxDiff, Math.abs(actual[i * per + k] - expected[i * per + k]));
            }
            report.append(String.format(
                    "%s n=%d: resized sum %d (ref %d), cropped sum %d (ref %d), max|diff| %s%n",
                    path,
                    n,
                    resizedSum,
                    ref.get("resized_rgb_uint8_sum").asLong(),
                    croppedSum,
                    ref.get("cropped_rgb_uint8_sum").asLong(),
                    maxDiff));
            boolean jpeg = path.endsWith(".jpg");
            if (!jpeg) {
                // Same decoded pixels and the same integer arithmetic as Pillow: exact.
                assertEquals(ref.get("resized_rgb_uint8_sum").asLong(), resizedSum, path + " resized uint8 sum");
                assertEquals(ref.get("cropped_rgb_uint8_sum").asLong(), croppedSum, path + " cropped uint8 sum");
                assertEquals(0.0, maxDiff, path + " max |diff| of normalised pixels");
            } else {
                // Measured exact too, but JPEG decoders are allowed to differ: the JDK's libjpeg vs
                // Pillow's libjpeg-turbo may round IDCT/upsampling a level or two apart on other
                // files or JDK builds, and bicubic overshoot can carry that to 3 levels.
                assertTrue(maxDiff <= 3 * ONE_LEVEL + 1e-6, path + " max |diff| " + maxDiff);
            }
        }
        System.out.print(report);
    }

    static float[] readF32(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[buf.remaining() / 4];
        buf.asFloatBuffer().get(out);
        return out;
    }
}
