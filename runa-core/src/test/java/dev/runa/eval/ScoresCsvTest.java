package dev.runa.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScoresCsvTest {
    @TempDir
    Path dir;

    private Path write(String content) throws IOException {
        Path f = dir.resolve("s.csv");
        Files.writeString(f, content);
        return f;
    }

    @Test
    void readsWithAndWithoutHeaderAnyCase() throws IOException {
        LabelledScores a = ScoresCsv.read(write("label,score\nID,1.5\nood,-2\n\n Id , 3e-1 \r\n"));
        assertArrayEquals(new double[] {1.5, 0.3}, a.idScores());
        assertArrayEquals(new double[] {-2}, a.oodScores());
        LabelledScores b = ScoresCsv.read(write("OOD,0\nID,1\n"));
        assertArrayEquals(new double[] {1}, b.idScores());
        assertArrayEquals(new double[] {0}, b.oodScores());
    }

    @Test
    void badRowsNameFileAndLine() throws IOException {
        assertMessage("label,score\nID,1\nOOD,abc\n", "s.csv line 3: score 'abc' is not a number");
        assertMessage("ID,1\nfoo,2\n", "s.csv line 2: label 'foo' is neither ID nor OOD");
        assertMessage("ID,1\nOOD,2,3\n", "s.csv line 2: expected 2 comma-separated fields");
        assertMessage("ID,1\nOOD,NaN\n", "s.csv line 2: score 'NaN' is not a finite number");
        assertMessage("label,score\nID,1\n", "needs at least one ID and one OOD row, found 1 ID and 0 OOD");
    }

    private void assertMessage(String content, String expected) throws IOException {
        Path f = write(content);
        IOException e = assertThrows(IOException.class, () -> ScoresCsv.read(f));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
