package dev.runa.clip.tokenizer;

/** Python {@code str} operations whose Java look-alikes differ in which characters they treat as space. */
final class PythonText {
    private PythonText() {
    }

    /**
     * Python 3.11's {@code str.isspace()} (Unicode 14): bidi classes WS, B, S and category Zs. Unlike
     * {@link Character#isWhitespace} it includes the no-break spaces; unlike Unicode White_Space it
     * includes the information separators U+001C..U+001F.
     */
    static boolean isSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D) || (cp >= 0x1C && cp <= 0x20) || cp == 0x85 || cp == 0xA0
                || cp == 0x1680 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029
                || cp == 0x202F || cp == 0x205F || cp == 0x3000;
    }

    /** Python's {@code str.strip()} without arguments. */
    static String strip(String s) {
        int start = 0;
        int end = s.length();
        // All of isSpace's characters are in the BMP, so char-wise scanning is exact.
        while (start < end && isSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** Python's {@code str.split()} without arguments: runs of space separate, empty pieces dropped. */
    static String[] split(String s) {
        java.util.List<String> parts = new java.util.ArrayList<>(2);
        int i = 0;
        int n = s.length();
        while (i < n) {
            while (i < n && isSpace(s.charAt(i))) {
                i++;
            }
            int begin = i;
            while (i < n && !isSpace(s.charAt(i))) {
                i++;
            }
            if (i > begin) {
                parts.add(s.substring(begin, i));
            }
        }
        return parts.toArray(new String[0]);
    }
}
