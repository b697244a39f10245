package dev.runa.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The one CSV writer: RFC 4180 quoting written out by hand, and the parser reading every field back. */
class CsvLineTest {
    @Test
    void quotesOnlyWhatNeedsIt() {
        assertEquals("plain", CsvLine.quote("plain"));
        assertEquals("", CsvLine.quote(""));
        assertEquals("\"a,b\"", CsvLine.quote("a,b"));
        assertEquals("\"say \"\"hi\"\"\"", CsvLine.quote("say \"hi\""));
        assertEquals("\"two\nlines\"", CsvLine.quote("two\nlines"));
        assertEquals("\"cr\r\"", CsvLine.quote("cr\r"));
        assertEquals("\" edge\"", CsvLine.quote(" edge"));
        assertEquals("\"edge \"", CsvLine.quote("edge "));
        assertEquals("in side", CsvLine.quote("in side"));
    }

    @Test
    void parseReadsBackWhatJoinWrote() {
        List<String> fields = List.of("a", "", "b,c", "\"q\"", " pad ", "x\ny", "1.5E-7");
        String line = CsvLine.join(fields);
        assertEquals("a,,\"b,c\",\"\"\"q\"\"\",\" pad \",\"x\ny\",1.5E-7", line);
        assertEquals(fields, CsvLine.parse(line));
    }

    @Test
    void anUnclosedQuoteIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> CsvLine.parse("a,\"b"));
    }
}
