package dev.runa.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.ImageTypeSpecifier;
import javax.imageio.stream.ImageInputStream;
import org.w3c.dom.Element;

/**
 * Decodes JPEG and PNG files (and whatever else ImageIO reads) into {@link PixelImage}s whose
 * mode is the one Pillow 9.4's {@code Image.open} would report, because the mode decides how
 * Pillow resizes. Decoding itself is ImageIO's (TwelveMonkeys for JPEG, incl. CMYK/YCCK).
 *
 * <p>Mode mapping: PNG greyscale 1 bit -> "1"; greyscale 2/4/8 bit -> L; grey+alpha -> LA;
 * palette -> P (expanded to RGB); RGB -> RGB; RGBA -> RGBA; JPEG grey -> L; JPEG colour -> RGB;
 * JPEG CMYK/YCCK -> CMYK (ink values as Pillow's "CMYK;I"; Adobe CMYK is tested against Pillow, YCCK is converted with libjpeg's formula but untested). 16-bit samples keep their high byte, which is exactly what Pillow does
 * for 16-bit RGB(A) and grey+alpha PNGs. <b>Deviation:</b> Pillow opens 16-bit greyscale PNGs as
 * 32-bit "I" and its {@code convert("RGB")} then clips every value above 255 to white; here such
 * images become L with the high byte, which keeps the picture instead of whitening it.
 *
 * <p>Embedded ICC profiles are ignored, as Pillow ignores them: JPEGs that carry one are read
 * from ImageIO's raw raster and converted with libjpeg's YCbCr arithmetic, because ImageIO's
 * normal read would apply the profile.
 *
 * <p>EXIF orientation is ignored unless {@link DecodeOptions#applyExifOrientation()} asks for it.
 */
public final class ImageDecoder {
    private ImageDecoder() {}

    /** Decodes a file with the default options (EXIF orientation ignored). */
    public static PixelImage decode(Path file) {
        return decode(file, DecodeOptions.DEFAULT);
    }

    /**
     * Decodes a file.
     *
     * @throws ImageDecodeException naming the file if it cannot be read or decoded
     */
    public static PixelImage decode(Path file, DecodeOptions options) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ImageDecodeException(file.toString(), ImageDecodeException.Kind.NOT_FOUND, "file not found", e);
        } catch (IOException e) {
            throw new ImageDecodeException(
                    file.toString(), ImageDecodeException.Kind.UNREADABLE, "cannot read file: " + e.getMessage(), e);
        }
        return decode(bytes, file.toString(), options);
    }

    /**
     * Decodes an encoded image held in memory.
     *
     * @param bytes the encoded file
     * @param name  what to call it in error messages (a path, URL or id)
     * @throws ImageTooLargeException when the header declares more pixels than {@code options} allow
     *     (checked before any pixel memory is allocated: a decompression bomb costs memory only once
     *     decoded)
     * @throws ImageDecodeException naming {@code name} if the bytes cannot be decoded
     */
    public static PixelImage decode(byte[] bytes, String name, DecodeOptions options) {
        if (bytes == null || bytes.length == 0) {
            throw new ImageDecodeException(name, "empty file", null);
        }
        PixelImage image;
        try {
            image = read(bytes, name, options);
        } catch (ImageDecodeException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            if (causedByEndOfFile(e)) {
                throw new ImageDecodeException(
                        name, ImageDecodeException.Kind.TRUNCATED, "image file is truncated (" + e + ")", e);
            }
            throw new ImageDecodeException(name, "corrupt or unsupported image data (" + e + ")", e);
        }
        if (options.applyExifOrientation()) {
            image = ExifOrientation.apply(image, ExifOrientation.read(bytes));
        }
        return image;
    }

    private static boolean causedByEndOfFile(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException) {
                return true;
            }
        }
        return false;
    }

    private static PixelImage read(byte[] bytes, String name, DecodeOptions options) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new ImageDecodeException(
                        name,
                        ImageDecodeException.Kind.UNSUPPORTED,
                        "not a format ImageIO can read (expected JPEG or PNG)",
                        null);
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                // The header's size, before a single pixel is allocated.
                options.checkPixels(name, reader.getWidth(0), reader.getHeight(0));
                // libjpeg (and TwelveMonkeys) fill missing scan data with grey and only warn.
                boolean[] truncated = {false};
                reader.addIIOReadWarningListener((source, warning) -> {
                    if (warning != null
                            && warning.toLowerCase(java.util.Locale.ROOT).contains("premature end")) {
                        truncated[0] = true;
                    }
                });
                PixelImage image;
                if (isJpeg(bytes) && hasCmykType(reader)) {
                    image = cmykJpeg(reader, name);
                } else if (isJpeg(bytes) && hasIccProfile(bytes)) {
                    image = rawJpeg(reader, name);
                } else {
                    BufferedImage img = reader.read(0, reader.getDefaultReadParam());
                    image = toPixelImage(img, pngGreyBitDepth(bytes), name);
                }
                if (truncated[0] && !options.allowTruncated()) {
                    throw new ImageDecodeException(
                            name,
                            ImageDecodeException.Kind.TRUNCATED,
                            "image file is truncated: its data ends before the last pixel (allow truncated images"
                                    + " to decode it anyway, the missing part grey, as Pillow's LOAD_TRUNCATED_IMAGES)",
                            null);
                }
                return image;
            } finally {
                reader.dispose();
            }
        }
    }

    private static boolean isJpeg(byte[] f) {
        return f.length > 2 && (f[0] & 0xFF) == 0xFF && (f[1] & 0xFF) == 0xD8;
    }

    private static boolean hasCmykType(ImageReader reader) throws IOException {
        Iterator<ImageTypeSpecifier> types = reader.getImageTypes(0);
        while (types.hasNext()) {
            if (types.next().getColorModel().getColorSpace().getType() == ColorSpace.TYPE_CMYK) {
                return true;
            }
        }
        return false;
    }

    /**
     * A 4-component JPEG as Pillow reads it: libjpeg's output (YCCK turned into CMYK, CMYK as
     * stored) taken as inverted ink values ("CMYK;I"). ImageIO's {@code read} would colour-convert
     * through ICC profiles instead, so the raw raster is used.
     */
    private static PixelImage cmykJpeg(ImageReader reader, String name) throws IOException {
        Raster raster = reader.readRaster(0, null);
        if (raster.getNumBands() != 4) {
            throw new ImageDecodeException(name, "CMYK JPEG decoded to " + raster.getNumBands() + " bands", null);
        }
        boolean ycck = adobeTransform(reader) == 2;
        int w = raster.getWidth();
        int h = raster.getHeight();
        byte[] out = new byte[samples(w, h, 4, name)];
        int[] row = new int[w * 4];
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            for (int x = 0; x < w; x++) {
                int i = x * 4;
                int o = (y * w + x) * 4;
                if (ycck) {
                    // libjpeg's ycck_cmyk_convert gives C = 255 - R etc. of the YCC triple; the
                    // inversion to Pillow's ink values turns that back into R, G, B.
                    int[] rgb = YccToRgb.convert(row[i], row[i + 1], row[i + 2]);
                    out[o] = (byte) rgb[0];
                    out[o + 1] = (byte) rgb[1];
                    out[o + 2] = (byte) rgb[2];
                } else {
                    out[o] = (byte) (255 - row[i]);
                    out[o + 1] = (byte) (255 - row[i + 1]);
                    out[o + 2] = (byte) (255 - row[i + 2]);
                }
                out[o + 3] = (byte) (255 - row[i + 3]);
            }
        }
        return new PixelImage(w, h, PixelMode.CMYK, out, true);
    }

    /**
     * A 1- or 3-component JPEG with an embedded ICC profile, which ImageIO's {@code read} would
     * colour-convert and Pillow ignores: the raw raster, with libjpeg's own choice of colour space
     * (JFIF or Adobe transform 1 or unknown component ids: YCbCr; Adobe transform 0 or component
     * ids 'R','G','B': RGB) and its YCbCr -> RGB arithmetic.
     */
    private static PixelImage rawJpeg(ImageReader reader, String name) throws IOException {
        Raster raster = reader.readRaster(0, null);
        int bands = raster.getNumBands();
        if (bands != 1 && bands != 3) {
            throw new ImageDecodeException(
                    name,
                    ImageDecodeException.Kind.UNSUPPORTED,
                    "JPEG with " + bands + " components is not supported",
                    null);
        }
        boolean ycc = bands == 3 && storedAsYcc(reader);
        int w = raster.getWidth();
        int h = raster.getHeight();
        byte[] out = new byte[samples(w, h, bands, name)];
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            raster.getPixels(raster.getMinX(), raster.getMinY() + y, w, 1, row);
            int o = y * w * bands;
            if (ycc) {
                for (int x = 0; x < w; x++) {
                    int[] rgb = YccToRgb.convert(row[x * 3], row[x * 3 + 1], row[x * 3 + 2]);
                    out[o + x * 3] = (byte) rgb[0];
                    out[o + x * 3 + 1] = (byte) rgb[1];
                    out[o + x * 3 + 2] = (byte) rgb[2];
                }
            } else {
                for (int i = 0; i < row.length; i++) {
                    out[o + i] = (byte) row[i];
                }
            }
        }
        return new PixelImage(w, h, bands == 1 ? PixelMode.L : PixelMode.RGB, out, true);
    }

    // libjpeg's default_decompress_parms rule for 3-component files.
    private static boolean storedAsYcc(ImageReader reader) throws IOException {
        Element tree = (org.w3c.dom.Element) reader.getImageMetadata(0).getAsTree("javax_imageio_jpeg_image_1.0");
        if (tree.getElementsByTagName("app0JFIF").getLength() > 0) {
            return true;
        }
        int transform = adobeTransform(reader);
        if (transform >= 0) {
            return transform != 0;
        }
        org.w3c.dom.NodeList comps = tree.getElementsByTagName("componentSpec");
        if (comps.getLength() == 3) {
            String ids = "";
            for (int i = 0; i < 3; i++) {
                ids += ((org.w3c.dom.Element) comps.item(i)).getAttribute("componentId") + ",";
            }
            return !ids.equals("82,71,66,");
        }
        return true;
    }

    // Whether an APP2 "ICC_PROFILE" segment precedes the image data.
    private static boolean hasIccProfile(byte[] f) {
        int p = 2;
        while (p + 4 <= f.length && (f[p] & 0xFF) == 0xFF) {
            int marker = f[p + 1] & 0xFF;
            if (marker == 0xDA || marker == 0xD9) {
                return false;
            }
            int len = ((f[p + 2] & 0xFF) << 8) | (f[p + 3] & 0xFF);
            if (marker == 0xE2
                    && len >= 14
                    && p + 16 <= f.length
                    && new String(f, p + 4, 12, java.nio.charset.StandardCharsets.ISO_8859_1).equals("ICC_PROFILE\0")) {
                return true;
            }
            p += 2 + len;
        }
        return false;
    }

    // The Adobe APP14 colour transform flag (0 none, 1 YCbCr, 2 YCCK), or -1 without the marker.
    private static int adobeTransform(ImageReader reader) {
        try {
            org.w3c.dom.Node tree = reader.getImageMetadata(0).getAsTree("javax_imageio_jpeg_image_1.0");
            org.w3c.dom.NodeList adobe = ((org.w3c.dom.Element) tree).getElementsByTagName("app14Adobe");
            if (adobe.getLength() == 0) {
                return -1;
            }
            String t = ((org.w3c.dom.Element) adobe.item(0)).getAttribute("transform");
            return t.isEmpty() ? -1 : Integer.parseInt(t);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    // Bit depth of a greyscale PNG (colour type 0), else 0: ImageIO hands 1/2/4-bit grey out as
    // indexed images, which must not become Pillow "P".
    private static int pngGreyBitDepth(byte[] f) {
        boolean png = f.length >= 26
                && (f[0] & 0xFF) == 0x89
                && f[1] == 'P'
                && f[2] == 'N'
                && f[3] == 'G'
                && f[12] == 'I'
                && f[13] == 'H'
                && f[14] == 'D'
                && f[15] == 'R';
        return png && f[25] == 0 ? f[24] : 0;
    }

    static PixelImage toPixelImage(BufferedImage img, int pngGreyBits, String name) {
        int w = img.getWidth();
        int h = img.getHeight();
        ColorModel cm = img.getColorModel();
        Raster raster = img.getRaster();
        if (cm instanceof IndexColorModel icm) {
            return indexed(icm, raster, w, h, pngGreyBits);
        }
        if (cm.isAlphaPremultiplied()) {
            img.coerceData(false);
            raster = img.getRaster();
        }
        int bands = raster.getNumBands();
        int csType = cm.getColorSpace().getType();
        PixelMode mode;
        if (csType == ColorSpace.TYPE_GRAY && bands == 1) {
            mode = PixelMode.L;
        } else if (csType == ColorSpace.TYPE_GRAY && bands == 2) {
            mode = PixelMode.LA;
        } else if (csType == ColorSpace.TYPE_RGB && bands == 3) {
            mode = PixelMode.RGB;
        } else if (csType == ColorSpace.TYPE_RGB && bands == 4) {
            mode = PixelMode.RGBA;
        } else if (csType == ColorSpace.TYPE_CMYK && bands == 4) {
            mode = PixelMode.CMYK;
        } else {
            throw new ImageDecodeException(
                    name,
                    ImageDecodeException.Kind.UNSUPPORTED,
                    "unsupported colour layout (" + bands + " bands, colour space type " + csType + ")",
                    null);
        }
        int[] bits = raster.getSampleModel().getSampleSize();
        byte[] out = new byte[samples(w, h, bands, name)];
        int[] row = new int[w * bands];
        for (int y = 0; y < h; y++) {
            raster.getPixels(0, y, w, 1, row);
            int o = y * w * bands;
            for (int i = 0; i < row.length; i++) {
                out[o + i] = (byte) to8Bit(row[i], bits[i % bands]);
            }
        }
        return new PixelImage(w, h, mode, out, true);
    }

    private static PixelImage indexed(IndexColorModel icm, Raster raster, int w, int h, int pngGreyBits) {
        boolean grey = pngGreyBits > 0;
        PixelMode mode = !grey ? PixelMode.P : pngGreyBits == 1 ? PixelMode.BILEVEL : PixelMode.L;
        int bands = mode.bands();
        byte[] out = new byte[samples(w, h, bands, "indexed image")];
        int[] row = new int[w];
        for (int y = 0; y < h; y++) {
            raster.getSamples(0, y, w, 1, 0, row);
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * bands;
                int idx = row[x];
                if (grey) {
                    out[o] = (byte) icm.getRed(idx);
                } else {
                    out[o] = (byte) icm.getRed(idx);
                    out[o + 1] = (byte) icm.getGreen(idx);
                    out[o + 2] = (byte) icm.getBlue(idx);
                }
            }
        }
        return new PixelImage(w, h, mode, out, true);
    }

    // The sample count of a w x h image, or a TOO_LARGE error where it exceeds a Java array.
    private static int samples(int w, int h, int bands, String name) {
        try {
            return PixelImage.sampleCount(w, h, bands);
        } catch (IllegalArgumentException e) {
            throw new ImageDecodeException(name, ImageDecodeException.Kind.TOO_LARGE, e.getMessage(), null);
        }
    }

    // 16-bit keeps the high byte as Pillow's ";16B" raw modes do; other depths scale to 0..255.
    private static int to8Bit(int v, int bits) {
        if (bits == 8) {
            return v;
        }
        if (bits == 16) {
            return v >>> 8;
        }
        if (bits > 8) {
            return v >>> (bits - 8);
        }
        return (int) Math.round(v * 255.0 / ((1 << bits) - 1));
    }
}
