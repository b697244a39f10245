package dev.runa.clip.tokenizer;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Python 3.11's {@code html.unescape}, reproduced rule for rule, because CLIP's tokenizer applies it
 * (twice) before BPE and the ids must match the reference.
 *
 * <p>Covered completely: all 2231 HTML5 named references (the WHATWG table, loaded from the
 * {@code html5-entities.tsv} resource), including the 106 legacy names Python accepts without a
 * semicolon and its longest-prefix rule ({@code &notit;} becomes {@code ¬it;}); decimal and hex
 * numeric references with or without the semicolon; Python's replacements for invalid code
 * points (NUL, surrogates and values above U+10FFFF become U+FFFD, C1 controls map through
 * Windows-1252, other non-characters and controls are dropped). Arbitrarily long digit strings are
 * handled like Python's unbounded ints.
 */
public final class HtmlUnescape {
    // Same alternatives as CPython's html._charref; Java's classes work on code points like Python's.
    private static final Pattern CHARREF =
            Pattern.compile("&(#[0-9]+;?|#[xX][0-9a-fA-F]+;?|[^\\t\\n\\f <&#;]{1,32};?)");
    private static final String RESOURCE = "html5-entities.tsv";
    private static final Map<String, String> ENTITIES = loadEntities();
    /** CPython's html._invalid_charrefs: code points remapped as browsers do (mostly Windows-1252). */
    private static final Map<Integer, String> INVALID_CHARREFS = invalidCharrefs();

    private HtmlUnescape() {}

    /** Replaces every character reference in {@code s} exactly as Python's {@code html.unescape}. */
    public static String unescape(String s) {
        if (s.indexOf('&') < 0) {
            return s;
        }
        Matcher m = CHARREF.matcher(s);
        StringBuilder out = new StringBuilder(s.length());
        int last = 0;
        while (m.find()) {
            out.append(s, last, m.start());
            out.append(replace(m.group(1)));
            last = m.end();
        }
        out.append(s, last, s.length());
        return out.toString();
    }

    private static String replace(String ref) {
        if (ref.charAt(0) == '#') {
            return numeric(ref);
        }
        String direct = ENTITIES.get(ref);
        if (direct != null) {
            return direct;
        }
        // Python tries prefixes of length len-1 down to 2 (in chars; names are ASCII so chars suffice
        // whenever a prefix can match at all).
        for (int x = ref.length() - 1; x > 1; x--) {
            if (Character.isLowSurrogate(ref.charAt(x))) {
                continue; // never split a code point; no entity name contains non-ASCII anyway
            }
            String hit = ENTITIES.get(ref.substring(0, x));
            if (hit != null) {
                return hit + ref.substring(x);
            }
        }
        return "&" + ref;
    }

    private static String numeric(String ref) {
        boolean hex = ref.length() > 1 && (ref.charAt(1) == 'x' || ref.charAt(1) == 'X');
        String digits = ref.substring(hex ? 2 : 1);
        if (digits.endsWith(";")) {
            digits = digits.substring(0, digits.length() - 1);
        }
        long num = parseSaturating(digits, hex ? 16 : 10);
        String remapped = num <= 0x9F ? INVALID_CHARREFS.get((int) num) : null;
        if (remapped != null) {
            return remapped;
        }
        if ((num >= 0xD800 && num <= 0xDFFF) || num > 0x10FFFF) {
            return "\uFFFD";
        }
        int cp = (int) num;
        if (isInvalidCodePoint(cp)) {
            return "";
        }
        return new String(Character.toChars(cp));
    }

    /** Parses digits; any value above U+10FFFF only needs to be known as "too large". */
    private static long parseSaturating(String digits, int radix) {
        long v = 0;
        for (int i = 0; i < digits.length(); i++) {
            v = v * radix + Character.digit(digits.charAt(i), radix);
            if (v > 0x10FFFF) {
                return 0x110000L;
            }
        }
        return v;
    }

    /** CPython's html._invalid_codepoints (after _invalid_charrefs has been consulted). */
    private static boolean isInvalidCodePoint(int cp) {
        return (cp >= 0x1 && cp <= 0x8)
                || cp == 0xB
                || (cp >= 0xE && cp <= 0x1F)
                || (cp >= 0x7F && cp <= 0x9F)
                || (cp >= 0xFDD0 && cp <= 0xFDEF)
                || (cp & 0xFFFE) == 0xFFFE;
    }

    private static Map<Integer, String> invalidCharrefs() {
        Map<Integer, String> m = new HashMap<>();
        m.put(0x00, "\uFFFD");
        m.put(0x0D, "\r");
        int[] cp1252 = {
            0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D,
            0x017D, 0x8F, 0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
            0x0153, 0x9D, 0x017E, 0x0178
        };
        for (int i = 0; i < cp1252.length; i++) {
            m.put(0x80 + i, String.valueOf((char) cp1252[i]));
        }
        return Map.copyOf(m);
    }

    private static Map<String, String> loadEntities() {
        InputStream in = HtmlUnescape.class.getResourceAsStream(RESOURCE);
        if (in == null) {
            throw new IllegalStateException("resource " + RESOURCE + " is missing from the classpath");
        }
        Map<String, String> m = new HashMap<>(4096);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            int lineNo = 0;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                if (tab <= 0) {
                    throw new IllegalStateException("resource " + RESOURCE + " line " + lineNo + ": no tab");
                }
                StringBuilder value = new StringBuilder(2);
                for (String hex : line.substring(tab + 1).split(" ")) {
                    value.appendCodePoint(Integer.parseInt(hex, 16));
                }
                m.put(line.substring(0, tab), value.toString());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read resource " + RESOURCE, e);
        }
        return Map.copyOf(m);
    }
}
