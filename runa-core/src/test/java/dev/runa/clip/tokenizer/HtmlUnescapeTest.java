package dev.runa.clip.tokenizer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/** Exact string equality with Python 3.11's html.unescape (golden outputs recorded from it). */
class HtmlUnescapeTest {
    @Test
    void matchesPythonOnRecordedCases() throws IOException {
        JsonNode cases;
        try (InputStream in = getClass().getResourceAsStream("html_unescape_expected.json")) {
            cases = new ObjectMapper().readTree(in);
        }
        assertEquals(89, cases.size());
        for (JsonNode c : cases) {
            String input = c.get(0).asText();
            assertEquals(c.get(1).asText(), HtmlUnescape.unescape(input), "unescape of " + c.get(0));
        }
    }

    @Test
    void handlesTheCommonForms() {
        assertEquals("<b> & \"q\" ' \u00A0", HtmlUnescape.unescape("&lt;b&gt; &amp; &quot;q&quot; &#39; &nbsp;"));
        assertEquals("& ¬it;", HtmlUnescape.unescape("&amp &notit;"));
        assertEquals("€\uFFFD\uFFFD", HtmlUnescape.unescape("&#128;&#0;&#x110000;"));
        // Twice, as CLIP's basic_clean does: doubly escaped text comes out plain.
        assertEquals("<", HtmlUnescape.unescape(HtmlUnescape.unescape("&amp;lt;")));
    }
}
