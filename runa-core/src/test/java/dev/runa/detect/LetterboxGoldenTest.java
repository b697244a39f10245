package dev.runa.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.image.ImageDecoder;
import dev.runa.image.PixelImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The letterbox against OpenCV 4.6's {@code cv2.resize(INTER_LINEAR)} + {@code copyMakeBorder}
 * as Ultralytics calls them ({@code letterbox/make_goldens.py}): downscales, enlargements, an exact
 * 2x reduction, odd padding, a non-square input. Tolerance: one level per sample (the issue's
 * contract; OpenCV's scalar row tail could round one level apart from its SIMD body, see
 * {@link LinearResize}); the padding geometry must match exactly, and on these goldens every
 * sample does.
 */
class LetterboxGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/dev/runa/detect/letterbox");
    private static final Pattern NAME = Pattern.compile("golden_(\\d+)_(\\d+)x(\\d+)\\.png");

    static Stream<Path> goldens() throws Exception {
        return Files.list(DIR)
                .filter(p -> NAME.matcher(p.getFileName().toString()).matches())
                .sorted();
    }

    @ParameterizedTest
    @MethodSource("goldens")
    void matchesOpenCv(Path golden) {
        Matcher m = NAME.matcher(golden.getFileName().toString());
        assertTrue(m.matches());
        PixelImage src =
                ImageDecoder.decode(DIR.resolve("src_" + m.group(1) + ".png")).toRgb();
        int w = Integer.parseInt(m.group(2));
        int h = Integer.parseInt(m.group(3));
        PixelImage want = ImageDecoder.decode(golden).toRgb();
        assertEquals(w, want.width());
        assertEquals(h, want.height());
        Letterbox box = new Letterbox(src.width(), src.height(), w, h, false);
        byte[] got = box.pixels(src);
        byte[] exp = want.samples();
        int maxDiff = 0;
        int exact = 0;
        for (int i = 0; i < exp.length; i++) {
            int d = Math.abs((got[i] & 0xff) - (exp[i] & 0xff));
            maxDiff = Math.max(maxDiff, d);
            exact += d == 0 ? 1 : 0;
            // Padding is exact: a pixel is grey in one and not the other only if the geometry is off.
            int px = i / 3;
            int x = px % w;
            int y = px / w;
            boolean inside = x >= box.left()
                    && x < box.left() + box.newWidth()
                    && y >= box.top()
                    && y < box.top() + box.newHeight();
            if (!inside) {
                assertEquals(Letterbox.PAD_VALUE, exp[i] & 0xff, golden + ": OpenCV pads at " + x + "," + y);
            }
        }
        assertTrue(maxDiff <= 1, golden + ": max difference " + maxDiff + " levels");
        // The contract is one level; on these goldens every sample is in fact exact.
        assertEquals(exp.length, exact, golden + ": samples off by one level");
    }
}
