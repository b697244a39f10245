package dev.runa.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Edge cases the reference images do not reach (upscaling, one-axis resizes, 1x1, other filters,
 * RGBA/LA premultiplication with alpha 0 and 255, palette forced to nearest, blur radii with a
 * fractional box, box longer than the line, radius 0), against golden bytes produced by Pillow
 * 9.4.0 and stored in {@code pillow94_cases.json}. Every byte must match: the implementation
 * reproduces Pillow's integer arithmetic, so any difference is a bug.
 */
class PillowGoldenCasesTest {
    @TestFactory
    List<DynamicTest> everyCaseMatchesPillowByteForByte() throws IOException {
        JsonNode root;
        try (InputStream in = getClass().getResourceAsStream("pillow94_cases.json")) {
            root = new ObjectMapper().readTree(in);
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : root.get("cases")) {
            PixelMode mode = PixelMode.valueOf(c.get("mode").asText());
            int w = c.get("size").get(0).asInt();
            int h = c.get("size").get(1).asInt();
            byte[] expected = Base64.getDecoder().decode(c.get("expected").asText());
            String name;
            Runnable check;
            if (c.get("op").asText().equals("resize")) {
                int ow = c.get("out").get(0).asInt();
                int oh = c.get("out").get(1).asInt();
                ResampleFilter f = ResampleFilter.valueOf(c.get("filter").asText());
                name = "resize " + mode + " " + w + "x" + h + " -> " + ow + "x" + oh + " " + f;
                check = () -> {
                    PixelImage out = PillowResize.resize(TestImages.make(mode, w, h), ow, oh, f);
                    assertEquals(ow, out.width());
                    assertEquals(oh, out.height());
                    assertArrayEquals(expected, out.samples(), name);
                    // The windowed variant must give the same bytes as resize-then-crop.
                    if (ow > 2 && oh > 2) {
                        PixelImage win = PillowResize.resizeAndCrop(
                                TestImages.make(mode, w, h), ow, oh, f, 1, 1, ow - 1, oh - 1);
                        assertEquals(out.crop(1, 1, ow - 1, oh - 1), win, name + " windowed");
                    }
                };
            } else {
                float r = (float) c.get("radius").asDouble();
                name = "blur " + mode + " " + w + "x" + h + " radius " + r;
                check = () -> assertArrayEquals(
                        expected,
                        GaussianBlur.blur(TestImages.make(mode, w, h), r).samples(),
                        name);
            }
            tests.add(DynamicTest.dynamicTest(name, check::run));
        }
        return tests;
    }
}
