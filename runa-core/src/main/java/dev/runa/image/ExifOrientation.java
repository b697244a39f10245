package dev.runa.image;

import java.nio.charset.StandardCharsets;

/**
 * Reads the EXIF orientation tag (0x0112) from JPEG (APP1 "Exif") or PNG ({@code eXIf} chunk)
 * bytes and applies it to pixels. A missing, malformed or out-of-range tag reads as 1 (upright):
 * orientation is a hint, never a reason to reject an image.
 */
public final class ExifOrientation {
    private static final int TAG_ORIENTATION = 0x0112;

    private ExifOrientation() {}

    /** The orientation 1..8 stored in the file's EXIF data, or 1 when there is none. */
    public static int read(byte[] file) {
        try {
            int tiff = findTiffHeader(file);
            return tiff < 0 ? 1 : readFromTiff(file, tiff);
        } catch (IndexOutOfBoundsException malformed) {
            return 1;
        }
    }

    private static int findTiffHeader(byte[] f) {
        if (f.length > 4 && (f[0] & 0xFF) == 0xFF && (f[1] & 0xFF) == 0xD8) {
            int p = 2;
            while (p + 4 <= f.length && (f[p] & 0xFF) == 0xFF) {
                int marker = f[p + 1] & 0xFF;
                if (marker == 0xDA || marker == 0xD9) {
                    break; // start of scan: no more metadata segments
                }
                int len = ((f[p + 2] & 0xFF) << 8) | (f[p + 3] & 0xFF);
                if (marker == 0xE1
                        && len >= 8
                        && new String(f, p + 4, 6, StandardCharsets.ISO_8859_1).equals("Exif\0\0")) {
                    return p + 10;
                }
                p += 2 + len;
            }
            return -1;
        }
        if (f.length > 8 && (f[0] & 0xFF) == 0x89 && f[1] == 'P' && f[2] == 'N' && f[3] == 'G') {
            int p = 8;
            while (p + 8 <= f.length) {
                int len = readInt(f, p, true);
                String type = new String(f, p + 4, 4, StandardCharsets.ISO_8859_1);
                if (type.equals("eXIf")) {
                    return p + 8;
                }
                if (type.equals("IDAT") || type.equals("IEND") || len < 0) {
                    return -1;
                }
                p += 12 + len;
            }
        }
        return -1;
    }

    private static int readFromTiff(byte[] f, int t) {
        boolean bigEndian;
        if (f[t] == 'M' && f[t + 1] == 'M') {
            bigEndian = true;
        } else if (f[t] == 'I' && f[t + 1] == 'I') {
            bigEndian = false;
        } else {
            return 1;
        }
        int ifd = t + readInt(f, t + 4, bigEndian);
        int entries = readShort(f, ifd, bigEndian);
        for (int i = 0; i < entries; i++) {
            int e = ifd + 2 + 12 * i;
            if (readShort(f, e, bigEndian) == TAG_ORIENTATION) {
                int value = readShort(f, e + 8, bigEndian);
                return value >= 1 && value <= 8 ? value : 1;
            }
        }
        return 1;
    }

    private static int readShort(byte[] f, int p, boolean be) {
        return be ? ((f[p] & 0xFF) << 8) | (f[p + 1] & 0xFF) : ((f[p + 1] & 0xFF) << 8) | (f[p] & 0xFF);
    }

    private static int readInt(byte[] f, int p, boolean be) {
        return be
                ? (readShort(f, p, true) << 16) | readShort(f, p + 2, true)
                : (readShort(f, p + 2, false) << 16) | readShort(f, p, false);
    }

    /**
     * Turns an image stored with EXIF {@code orientation} upright, as Pillow's
     * {@code ImageOps.exif_transpose}: 2 mirror, 3 rotate 180, 4 flip, 5 transpose,
     * 6 rotate 90 clockwise, 7 transverse, 8 rotate 90 counter-clockwise.
     */
    public static PixelImage apply(PixelImage image, int orientation) {
        if (orientation <= 1 || orientation > 8) {
            return image;
        }
        int w = image.width();
        int h = image.height();
        int b = image.bands();
        boolean swap = orientation >= 5;
        int ow = swap ? h : w;
        int oh = swap ? w : h;
        byte[] src = image.raw();
        byte[] out = new byte[src.length];
        for (int y = 0; y < oh; y++) {
            for (int x = 0; x < ow; x++) {
                int sx;
                int sy;
                switch (orientation) {
                    case 2 -> {
                        sx = w - 1 - x;
                        sy = y;
                    }
                    case 3 -> {
                        sx = w - 1 - x;
                        sy = h - 1 - y;
                    }
                    case 4 -> {
                        sx = x;
                        sy = h - 1 - y;
                    }
                    case 5 -> {
                        sx = y;
                        sy = x;
                    }
                    case 6 -> {
                        sx = y;
                        sy = h - 1 - x;
                    }
                    case 7 -> {
                        sx = w - 1 - y;
                        sy = h - 1 - x;
                    }
                    default -> {
                        sx = w - 1 - y;
                        sy = x;
                    }
                }
                System.arraycopy(src, (sy * w + sx) * b, out, (y * ow + x) * b, b);
            }
        }
        return new PixelImage(ow, oh, image.mode(), out, true);
    }
}
