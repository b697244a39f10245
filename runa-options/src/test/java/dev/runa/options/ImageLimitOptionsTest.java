package dev.runa.options;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.image.DecodeOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;

/** --max-pixels and --allow-truncated: parsed, and turned into the library's DecodeOptions. */
class ImageLimitOptionsTest {
    @Test
    void defaultsAreTheLibrarys() {
        ImageLimitOptions o = Parsing.parse().limits;
        DecodeOptions d = o.decodeOptions(true, new PrintWriter(new StringWriter()));
        assertTrue(d.applyExifOrientation());
        assertEquals(DecodeOptions.DEFAULT_MAX_PIXELS, d.maxPixels());
        assertFalse(d.allowTruncated());
        assertNull(o.maxPixels().given(), "not given: the front end knows");
    }

    @Test
    void givenValuesReachTheDecodeOptionsAndWarningsTheWriter() {
        ImageLimitOptions o = Parsing.parse("--max-pixels", "1000", "--allow-truncated").limits;
        StringWriter err = new StringWriter();
        DecodeOptions d = o.decodeOptions(false, new PrintWriter(err, true));
        assertFalse(d.applyExifOrientation());
        assertEquals(1000, d.maxPixels());
        assertTrue(d.allowTruncated());
        assertEquals(1000L, o.maxPixels().given());
        d.warnings().accept("big image");
        assertEquals("runa: warning: big image", err.toString().strip());
    }

    @Test
    void aLimitBelowOneIsRefusedNamingTheFlag() {
        ImageLimitOptions o = Parsing.parse("--max-pixels", "0").limits;
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> o.decodeOptions(true, new PrintWriter(new StringWriter())));
        assertEquals("--max-pixels must be >= 1, got 0", e.getMessage());
    }
}
