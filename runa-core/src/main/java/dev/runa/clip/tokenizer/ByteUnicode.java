package dev.runa.clip.tokenizer;

/**
 * GPT-2/CLIP's {@code bytes_to_unicode} table: every byte value gets a printable, non-space
 * character, so that BPE symbols are strings without whitespace or control characters. Printable
 * Latin-1 bytes map to themselves; the other 68 bytes map, in byte order, to U+0100 onwards.
 */
final class ByteUnicode {
    private static final char[] TABLE = build();

    private ByteUnicode() {}

    private static char[] build() {
        char[] t = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++) {
            boolean printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            t[b] = printable ? (char) b : (char) next++;
        }
        return t;
    }

    /** The character standing for byte {@code b} (0..255). */
    static char of(int b) {
        return TABLE[b & 0xFF];
    }

    /**
     * The vocabulary's first 256 entries in the reference's order: the printable bytes in byte
     * order, then the remapped ones (the order of Python's dict built from {@code bs}).
     */
    static char[] vocabularyOrder() {
        char[] order = new char[256];
        int n = 0;
        for (int b = 0; b < 256; b++) {
            if (TABLE[b] == (char) b) {
                order[n++] = (char) b;
            }
        }
        for (int b = 0; b < 256; b++) {
            if (TABLE[b] != (char) b) {
                order[n++] = TABLE[b];
            }
        }
        return order;
    }
}
