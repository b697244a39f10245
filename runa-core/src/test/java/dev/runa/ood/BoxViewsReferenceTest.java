package dev.runa.ood;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runa.clip.ClipImagePreprocessor;
import dev.runa.image.ImageDecoder;
import dev.runa.image.PixelImage;
import dev.runa.testing.SharedReference;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Both views of the five reference boxes against ../shared/reference/views (Pillow 9.4
 * GaussianBlur + OpenAI CLIP preprocessing): the blurred-outside-box image byte for byte, and
 * every element of the regional and global tensors.
 */
class BoxViewsReferenceTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void matchesReferenceViews() throws IOException {
        Path dir = SharedReference.require("reference/views");
        Path images = SharedReference.require("reference/images");
        JsonNode ref = JSON.readTree(dir.resolve("views.json").toFile());
        int n = ref.get("size").asInt();
        float radius = (float) ref.get("radius").asDouble();
        float[] expected = readF32(dir.resolve("views.f32"));
        ClipImagePreprocessor pre = new ClipImagePreprocessor(n);
        int per = pre.floatsPerImage();
        JsonNode items = ref.get("items");
        assertEquals(items.size() * 2 * per, expected.length, "views.f32 length");
        BoxViewOptions options = new BoxViewOptions(0, false, BoxViewOptions.GlobalFit.CENTER_CROP, radius);
        StringBuilder report = new StringBuilder();
        for (int i = 0; i < items.size(); i++) {
            JsonNode item = items.get(i);
            String name = item.get("image").asText();
            double[] box = JSON.convertValue(item.get("box"), double[].class);
            BoxViews views = BoxViews.forImage(ImageDecoder.decode(images.resolve(name)), pre, options);

            PixelBox pb = views.pixelBox(box[0], box[1], box[2], box[3]);
            assertArrayEquals(
                    JSON.convertValue(item.get("int_box"), int[].class),
                    new int[] {pb.left(), pb.top(), pb.right(), pb.bottom()},
                    name + " int box");

            PixelImage global = views.globalImage(box[0], box[1], box[2], box[3]);
            PixelImage blurredRef = ImageDecoder.decode(
                            dir.resolve(item.get("blurred_png").asText()))
                    .toRgb();
            int maxLevel = maxAbsDiff(global.samples(), blurredRef.samples());
            assertEquals(item.get("blurred_rgb_uint8_sum").asLong(), global.sampleSum(), name + " blurred uint8 sum");
            assertEquals(0, maxLevel, name + " blurred image differs from Pillow");

            float[][] v = views.views(box[0], box[1], box[2], box[3]);
            double maxRegional = 0;
            double maxGlobal = 0;
            int base = i * 2 * per;
            for (int k = 0; k < per; k++) {
                maxRegional = Math.max(maxRegional, Math.abs(v[0][k] - expected[base + k]));
                maxGlobal = Math.max(maxGlobal, Math.abs(v[1][k] - expected[base + per + k]));
            }
            report.append(String.format(
                    "%s box %d: blurred max level diff %d, regional max|diff| %s, global max|diff| %s%n",
                    name, i, maxLevel, maxRegional, maxGlobal));
            // Same 8-bit pixels and the same float32 operations as torchvision: bit-identical
            // (measured 0 for all five boxes, the JPEG included).
            assertEquals(0.0, maxRegional, name + " box " + i + " regional max|diff|");
            assertEquals(0.0, maxGlobal, name + " box " + i + " global max|diff|");
        }
        System.out.print(report);
    }

    private static int maxAbsDiff(byte[] a, byte[] b) {
        assertEquals(a.length, b.length, "image sizes");
        int max = 0;
        for (int i = 0; i < a.length; i++) {
            max = Math.max(max, Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)));
        }
        return max;
    }

    private static float[] readF32(Path file) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[buf.remaining() / 4];
        buf.asFloatBuffer().get(out);
        return out;
    }
}
