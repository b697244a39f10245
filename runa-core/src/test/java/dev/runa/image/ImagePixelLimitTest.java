package dev.runa.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/** The pixel limit is checked from the header: exactly the limit decodes, one pixel more is refused. */
class ImagePixelLimitTest {
    @Test
    void limitIsInclusiveAndNamesTheImage() throws Exception {
        BufferedImage img = new BufferedImage(30, 20, BufferedImage.TYPE_INT_RGB);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        byte[] png = out.toByteArray();
        assertEquals(
                30,
                ImageDecoder.decode(png, "a.png", DecodeOptions.DEFAULT, 600).width());
        ImageTooLargeException e = assertThrows(
                ImageTooLargeException.class, () -> ImageDecoder.decode(png, "a.png", DecodeOptions.DEFAULT, 599));
        assertEquals(599, e.maxPixels());
        assertTrue(e.getMessage().contains("a.png") && e.getMessage().contains("30x20"), e.getMessage());
        assertEquals(2L * 89_478_485, ImageDecoder.DEFAULT_MAX_PIXELS);
    }
}
