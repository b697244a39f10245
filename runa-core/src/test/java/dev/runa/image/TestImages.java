package dev.runa.image;

/** Deterministic synthetic images, the same recipe as the generator of pillow94_cases.json. */
final class TestImages {
    private TestImages() {}

    static int pattern(int x, int y, int c) {
        return (x * x * 31 + y * 17 + c * 101 + x * y * 7) % 256;
    }

    static int alpha(int x, int y) {
        int a = (x * 37 + y * 11) % 256;
        if ((x + y) % 7 == 0) {
            a = 0;
        }
        if ((x + y) % 5 == 0) {
            a = 255;
        }
        return a;
    }

    static int[] palette(int i) {
        return new int[] {(i * 16) % 256, Math.floorMod(255 - i * 16, 256), (i * 53) % 256};
    }

    static PixelImage make(PixelMode mode, int w, int h) {
        int b = mode.bands();
        byte[] d = new byte[w * h * b];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int o = (y * w + x) * b;
                switch (mode) {
                    case RGB, L -> {
                        for (int c = 0; c < b; c++) {
                            d[o + c] = (byte) pattern(x, y, c);
                        }
                    }
                    case RGBA -> {
                        for (int c = 0; c < 3; c++) {
                            d[o + c] = (byte) pattern(x, y, c);
                        }
                        d[o + 3] = (byte) alpha(x, y);
                    }
                    case LA -> {
                        d[o] = (byte) pattern(x, y, 0);
                        d[o + 1] = (byte) alpha(x, y);
                    }
                    case P -> {
                        int[] rgb = palette(pattern(x, y, 0) % 16);
                        for (int c = 0; c < 3; c++) {
                            d[o + c] = (byte) rgb[c];
                        }
                    }
                    default -> throw new IllegalArgumentException("no test pattern for " + mode);
                }
            }
        }
        return new PixelImage(w, h, mode, d);
    }

    static PixelImage constant(PixelMode mode, int w, int h, int... value) {
        int b = mode.bands();
        byte[] d = new byte[w * h * b];
        for (int i = 0; i < d.length; i++) {
            d[i] = (byte) value[i % b];
        }
        return new PixelImage(w, h, mode, d);
    }
}
