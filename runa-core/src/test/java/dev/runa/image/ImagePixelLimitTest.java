package dev.runa.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The pixel limit is Pillow's: checked from the header, an image of exactly twice the limit decodes
 * (with a warning above the limit), one pixel more is refused.
 */
class ImagePixelLimitTest {
    @Test
    void limitIsInclusiveAndNamesTheImage() throws Exception {
        BufferedImage img = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        byte[] png = out.toByteArray();
        List<String> warnings = new ArrayList<>();
        DecodeOptions limit300 = DecodeOptions.DEFAULT.withMaxPixels(300).withWarnings(warnings::add);
        assertEquals(30, ImageDecoder.decode(png, "a.png", limit300).width());
        assertEquals(1, warnings.size(), "600 pixels is above the limit of 300: decoded with a warning");
        DecodeOptions tighter = DecodeOptions.DEFAULT.withMaxPixels(299);
        ImageTooLargeException e =
                assertThrows(ImageTooLargeException.class, () -> ImageDecoder.decode(png, "a.png", tighter));
        assertEquals(299, e.maxPixels());
        assertEquals(ImageDecodeException.Kind.TOO_LARGE, e.kind());
        assertTrue(e.getMessage().contains("a.png") && e.getMessage().contains("30x20"), e.getMessage());
        // Pillow's Image.MAX_IMAGE_PIXELS = 1024 * 1024 * 1024 // 4 // 3.
        assertEquals(1024L * 1024 * 1024 / 4 / 3, DecodeOptions.DEFAULT_MAX_PIXELS);
    }
}
