package dev.runa.clip.tokenizer;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Python {@code str} operations whose Java look-alikes differ in which characters they treat as space. */
final class PythonText {
    private PythonText() {}

    /**
     * Python 3.11's {@code str.isspace()} (Unicode 14): bidi classes WS, B, S and category Zs. Unlike
     * {@link Character#isWhitespace} it includes the no-break spaces; unlike Unicode White_Space it
     * includes the information separators U+001C..U+001F.
     */
    static boolean isSpace(int cp) {
        return (cp >= 0x09 && cp <= 0x0D)
                || (cp >= 0x1C && cp <= 0x20)
                || cp == 0x85
                || cp == 0xA0
                || cp == 0x1680
                || (cp >= 0x2000 && cp <= 0x200A)
                || cp == 0x2028
                || cp == 0x2029
                || cp == 0x202F
                || cp == 0x205F
                || cp == 0x3000;
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
        List<String> parts = new ArrayList<>(2);
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

    private static final char CAPITAL_SIGMA = '\u03A3';

    /**
     * Python 3.11's {@code str.lower()}. Java's {@code toLowerCase(Locale.ROOT)} agrees on every
     * context-free mapping (checked over all code points Java 17 assigns) but decides final sigma
     * differently (Java: {@code "aΣ1b"} -> σ, {@code "aΣ:b"} -> ς; Python the other way round), so
     * each capital sigma is decided by Python's rule and the text between them lowered by Java.
     */
    static String lower(String s) {
        int sigma = s.indexOf(CAPITAL_SIGMA);
        if (sigma < 0) {
            return s.toLowerCase(Locale.ROOT);
        }
        StringBuilder out = new StringBuilder(s.length() + 8);
        int from = 0;
        while (sigma >= 0) {
            out.append(s.substring(from, sigma).toLowerCase(Locale.ROOT));
            out.append(isFinalSigma(s, sigma) ? '\u03C2' : '\u03C3');
            from = sigma + 1;
            sigma = s.indexOf(CAPITAL_SIGMA, from);
        }
        out.append(s.substring(from).toLowerCase(Locale.ROOT));
        return out.toString();
    }

    /**
     * CPython's handle_capital_sigma: final when preceded by a cased letter (skipping case-ignorable
     * characters) and not followed by one (likewise skipping).
     */
    private static boolean isFinalSigma(String s, int i) {
        int j = i;
        int before = -1;
        while (j > 0) {
            int cp = s.codePointBefore(j);
            j -= Character.charCount(cp);
            if (!isCaseIgnorable(cp)) {
                before = cp;
                break;
            }
        }
        if (before < 0 || !isCased(before)) {
            return false;
        }
        j = i + 1;
        while (j < s.length()) {
            int cp = s.codePointAt(j);
            j += Character.charCount(cp);
            if (!isCaseIgnorable(cp)) {
                return !isCased(cp);
            }
        }
        return true;
    }

    /** Unicode's Cased property (Java's isLowerCase/isUpperCase include Other_Lowercase/Uppercase). */
    static boolean isCased(int cp) {
        return Character.isLowerCase(cp) || Character.isUpperCase(cp) || Character.isTitleCase(cp);
    }

    /**
     * Unicode's Case_Ignorable: Mn, Me, Cf, Lm, Sk, and Word_Break MidLetter, MidNumLet, Single_Quote.
     * U+1734 became Mc in Unicode 14 (Python 3.11) but is Mn in Java 17's Unicode 13.
     */
    static boolean isCaseIgnorable(int cp) {
        if (cp == 0x1734) {
            return false;
        }
        switch (Character.getType(cp)) {
            case Character.NON_SPACING_MARK,
                    Character.ENCLOSING_MARK,
                    Character.FORMAT,
                    Character.MODIFIER_LETTER,
                    Character.MODIFIER_SYMBOL:
                return true;
            default:
                break;
        }
        switch (cp) {
            case 0x27,
                    0x2E,
                    0x3A,
                    0xB7,
                    0x387,
                    0x55F,
                    0x5F4,
                    0x2018,
                    0x2019,
                    0x2024,
                    0x2027,
                    0xFE13,
                    0xFE52,
                    0xFE55,
                    0xFF07,
                    0xFF0E,
                    0xFF1A:
                return true;
            default:
                return false;
        }
    }
}
