package dev.runa.clip.tokenizer;

import java.util.regex.Pattern;

/**
 * The reference's text normalisation, {@code whitespace_clean(basic_clean(text)).lower()}.
 *
 * <p>{@code ftfy.fix_text} is deliberately not applied: the golden data was produced with it stubbed
 * out (see the reference README), so mojibake repair and similar fixes are not reproduced.
 */
final class ClipTextCleaner {
    /**
     * The {@code regex} module's {@code \s} is Unicode White_Space, which is what Java's {@code \s}
     * means under UNICODE_CHARACTER_CLASS. (Python's {@code strip()} uses a slightly different set,
     * see {@link PythonText#isSpace}.)
     */
    private static final Pattern WHITESPACE_RUN = Pattern.compile("\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    private ClipTextCleaner() {}

    static String clean(String text) {
        String s = HtmlUnescape.unescape(HtmlUnescape.unescape(text));
        s = PythonText.strip(s);
        s = WHITESPACE_RUN.matcher(s).replaceAll(" ");
        s = PythonText.strip(s);
        return PythonText.lower(s);
    }
}
