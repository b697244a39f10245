package dev.runa.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.color.ICC_Profile;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Base64;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Decoding of generated PNGs of every colour type and of Pillow-written JPEGs. */
class ImageDecoderTest {

    private static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "png", out), "ImageIO can write PNG");
        return out.toByteArray();
    }

    private static PixelImage decode(byte[] bytes) {
        return ImageDecoder.decode(bytes, "test.png", DecodeOptions.DEFAULT);
    }

    @Test
    void greyscale8BitIsL() throws IOException {
        BufferedImage img = new BufferedImage(5, 3, BufferedImage.TYPE_BYTE_GRAY);
        img.getRaster().setSample(2, 1, 0, 200);
        PixelImage p = decode(png(img));
        assertEquals(PixelMode.L, p.mode());
        assertEquals(200, p.sample(2, 1, 0));
        assertEquals(0, p.sample(0, 0, 0));
    }

    @Test
    void greyscale16BitKeepsHighByte() throws IOException {
        BufferedImage img = new BufferedImage(4, 2, BufferedImage.TYPE_USHORT_GRAY);
        img.getRaster().setSample(1, 1, 0, 0xABCD);
        PixelImage p = decode(png(img));
        assertEquals(PixelMode.L, p.mode());
        assertEquals(0xAB, p.sample(1, 1, 0));
    }

    @Test
    void rgb16BitKeepsHighByteAsPillow() throws IOException {
        // 16-bit RGB PNG: a 3-band ushort raster; Pillow's "RGB;16B" keeps the high byte.
        ColorSpace cs = ColorSpace.getInstance(ColorSpace.CS_sRGB);
        ComponentColorModel cm = new ComponentColorModel(cs, false, false, Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
        WritableRaster r = cm.createCompatibleWritableRaster(3, 2);
        r.setPixel(2, 1, new int[] {0x1234, 0xFF00, 0x00FF});
        PixelImage p = decode(png(new BufferedImage(cm, r, false, null)));
        assertEquals(PixelMode.RGB, p.mode());
        assertEquals(0x12, p.sample(2, 1, 0));
        assertEquals(0xFF, p.sample(2, 1, 1));
        assertEquals(0x00, p.sample(2, 1, 2));
    }

    @Test
    void bilevelGreyIsModeOne() throws IOException {
        BufferedImage img = new BufferedImage(9, 2, BufferedImage.TYPE_BYTE_BINARY);
        img.getRaster().setSample(3, 1, 0, 1);
        byte[] bytes = png(img);
        // ImageIO writes TYPE_BYTE_BINARY as a palette PNG unless the palette is grey; check which.
        PixelImage p = decode(bytes);
        assertTrue(p.mode() == PixelMode.BILEVEL || p.mode() == PixelMode.P, "mode " + p.mode());
        assertEquals(255, p.sample(3, 1, 0));
        assertEquals(0, p.sample(0, 0, 0));
    }

    @Test
    void paletteIsPExpandedToRgb() throws IOException {
        byte[] r = {(byte) 10, (byte) 200, (byte) 30, (byte) 0};
        byte[] g = {(byte) 20, (byte) 100, (byte) 40, (byte) 0};
        byte[] b = {(byte) 30, (byte) 0, (byte) 250, (byte) 0};
        IndexColorModel icm = new IndexColorModel(8, 4, r, g, b);
        BufferedImage img = new BufferedImage(3, 2, BufferedImage.TYPE_BYTE_INDEXED, icm);
        img.getRaster().setSample(1, 0, 0, 1);
        img.getRaster().setSample(2, 1, 0, 2);
        PixelImage p = decode(png(img));
        assertEquals(PixelMode.P, p.mode());
        assertEquals(200, p.sample(1, 0, 0));
        assertEquals(100, p.sample(1, 0, 1));
        assertEquals(250, p.sample(2, 1, 2));
        assertEquals(10, p.sample(0, 0, 0));
    }

    @Test
    void rgbaKeepsAlphaUnpremultiplied() throws IOException {
        BufferedImage img = new BufferedImage(2, 2, BufferedImage.TYPE_INT_ARGB);
        img.setRGB(1, 0, 0x80C86432); // alpha 128, rgb (200, 100, 50)
        PixelImage p = decode(png(img));
        assertEquals(PixelMode.RGBA, p.mode());
        assertArrayEquals(
                new int[] {200, 100, 50, 128},
                new int[] {p.sample(1, 0, 0), p.sample(1, 0, 1), p.sample(1, 0, 2), p.sample(1, 0, 3)});
    }

    @Test
    void rgbIsRgb() throws IOException {
        BufferedImage img = new BufferedImage(2, 1, BufferedImage.TYPE_3BYTE_BGR);
        img.setRGB(0, 0, 0x0A141E);
        PixelImage p = decode(png(img));
        assertEquals(PixelMode.RGB, p.mode());
        assertArrayEquals(new int[] {10, 20, 30}, new int[] {p.sample(0, 0, 0), p.sample(0, 0, 1), p.sample(0, 0, 2)});
    }

    @Test
    void corruptAndMissingFilesNameTheFile(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("broken.png");
        byte[] good = png(new BufferedImage(4, 4, BufferedImage.TYPE_3BYTE_BGR));
        Files.write(bad, Arrays.copyOf(good, good.length / 2));
        ImageDecodeException e1 = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(bad));
        assertTrue(e1.getMessage().contains("broken.png"), e1.getMessage());

        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "not an image");
        ImageDecodeException e2 = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(text));
        assertTrue(e2.getMessage().contains("notes.txt"), e2.getMessage());

        Path missing = dir.resolve("missing.jpg");
        ImageDecodeException e3 = assertThrows(ImageDecodeException.class, () -> ImageDecoder.decode(missing));
        assertTrue(e3.getMessage().contains("missing.jpg") && e3.getMessage().contains("not found"), e3.getMessage());
    }

    private static JsonNode jpegCases() throws IOException {
        try (InputStream in = ImageDecoderTest.class.getResourceAsStream("jpeg_cases.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ImageDecoderTest.class.getResourceAsStream(name)) {
            return in.readAllBytes();
        }
    }

    private static int maxDiff(byte[] a, byte[] b) {
        assertEquals(a.length, b.length);
        int m = 0;
        for (int i = 0; i < a.length; i++) {
            m = Math.max(m, Math.abs((a[i] & 0xFF) - (b[i] & 0xFF)));
        }
        return m;
    }

    @Test
    void cmykJpegDecodesToPillowCmyk() throws IOException {
        JsonNode ref = jpegCases().get("cmyk_16x8.jpg");
        PixelImage p = ImageDecoder.decode(resource("cmyk_16x8.jpg"), "cmyk_16x8.jpg", DecodeOptions.DEFAULT);
        assertEquals(PixelMode.CMYK, p.mode());
        assertEquals(16, p.width());
        byte[] cmyk = Base64.getDecoder().decode(ref.get("cmyk").asText());
        byte[] rgb = Base64.getDecoder().decode(ref.get("rgb").asText());
        // Different JPEG decoders (JDK libjpeg + TwelveMonkeys vs libjpeg-turbo) may round the IDCT
        // a level or two apart; 3 levels is the bound stated for JPEG-derived data.
        int dCmyk = maxDiff(cmyk, p.samples());
        int dRgb = maxDiff(rgb, p.toRgb().samples());
        System.out.println("CMYK JPEG vs Pillow: max level diff cmyk " + dCmyk + ", rgb " + dRgb);
        assertTrue(dCmyk <= 3, "CMYK max diff " + dCmyk);
        assertTrue(dRgb <= 3, "RGB max diff " + dRgb);
    }

    @Test
    void exifOrientationIgnoredByDefaultAppliedOnRequest() throws IOException {
        JsonNode ref = jpegCases().get("exif6_12x8.jpg");
        byte[] file = resource("exif6_12x8.jpg");
        assertEquals(6, ExifOrientation.read(file));
        PixelImage raw = ImageDecoder.decode(file, "exif6_12x8.jpg", DecodeOptions.DEFAULT);
        assertEquals(12, raw.width());
        assertEquals(8, raw.height());
        PixelImage upright = ImageDecoder.decode(file, "exif6_12x8.jpg", new DecodeOptions(true));
        assertEquals(ref.get("transposed_size").get(0).asInt(), upright.width());
        assertEquals(ref.get("transposed_size").get(1).asInt(), upright.height());
        int dRaw = maxDiff(Base64.getDecoder().decode(ref.get("rgb").asText()), raw.samples());
        int dUp = maxDiff(Base64.getDecoder().decode(ref.get("transposed_rgb").asText()), upright.samples());
        System.out.println("EXIF JPEG vs Pillow: max level diff raw " + dRaw + ", transposed " + dUp);
        assertTrue(dRaw <= 3 && dUp <= 3, "JPEG decode differs: " + dRaw + " / " + dUp);
        // Orientation 6 = rotate 90 clockwise: the top-left output pixel is the bottom-left input pixel.
        assertEquals(raw.sample(0, raw.height() - 1, 0), upright.sample(0, 0, 0));
    }

    @Test
    void exifTransformsMatchTheirDefinitions() {
        PixelImage img = TestImages.make(PixelMode.L, 3, 2);
        for (int o = 1; o <= 8; o++) {
            PixelImage t = ExifOrientation.apply(img, o);
            boolean swap = o >= 5;
            assertEquals(swap ? 2 : 3, t.width(), "orientation " + o);
            // Applying an orientation and then its inverse restores the image.
            int inverse = o == 6 ? 8 : o == 8 ? 6 : o;
            assertEquals(img, ExifOrientation.apply(t, inverse), "orientation " + o + " round trip");
        }
        assertEquals(1, ExifOrientation.read(new byte[] {1, 2, 3}));
    }

    // Inserts an APP2 ICC_PROFILE segment right after SOI.
    private static byte[] withIccProfile(byte[] jpeg, byte[] icc) {
        byte[] tag = "ICC_PROFILE\0".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        int len = 2 + tag.length + 2 + icc.length;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(jpeg, 0, 2);
        out.write(0xFF);
        out.write(0xE2);
        out.write(len >> 8);
        out.write(len & 0xFF);
        out.write(tag, 0, tag.length);
        out.write(1); // chunk 1
        out.write(1); // of 1
        out.write(icc, 0, icc.length);
        out.write(jpeg, 2, jpeg.length - 2);
        return out.toByteArray();
    }

    @Test
    void embeddedIccProfileIsIgnoredAsPillowDoes() throws IOException {
        byte[] plain = resource("exif6_12x8.jpg");
        byte[] icc = ICC_Profile.getInstance(ColorSpace.CS_LINEAR_RGB).getData();
        byte[] tagged = withIccProfile(plain, icc);
        PixelImage a = ImageDecoder.decode(plain, "plain.jpg", DecodeOptions.DEFAULT);
        PixelImage b = ImageDecoder.decode(tagged, "linear-rgb-profile.jpg", DecodeOptions.DEFAULT);
        // Pillow hands out the decoded samples untouched whatever profile is embedded.
        assertEquals(a, b);
    }
}
