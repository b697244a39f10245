package dev.runa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class MetricsCommandTest {
    @TempDir
    Path dir;

    @Test
    void printsOneJsonDocumentWithTheContractKeys() throws Exception {
        Path csv = dir.resolve("s.csv");
        Files.writeString(csv, "label,score\nID,3\nID,4\nOOD,1\nOOD,3.5\n");
        CommandLine cl = RunaCli.commandLine();
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out));
        int rc = cl.execute("metrics", "--scores", csv.toString());
        assertEquals(0, rc);
        String text = out.toString().trim();
        assertEquals(1, text.lines().count(), text);
        JsonNode json = new ObjectMapper().readTree(text);
        List<String> keys = new ArrayList<>();
        json.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("n_id", "n_ood", "auroc", "aupr_in", "aupr_out", "fpr95", "fpr95_strict"), keys);
        assertEquals(2, json.get("n_id").asInt());
        assertEquals(2, json.get("n_ood").asInt());
        // Pairs: 4>1, 4>3.5, 3>1, 3<3.5 -> 3/4.
        assertEquals(0.75, json.get("auroc").asDouble(), 1e-12);
    }

    @Test
    void badFileGivesOneLineErrorWithLineNumber() throws Exception {
        Path csv = dir.resolve("bad.csv");
        Files.writeString(csv, "ID,1\nOOD,x\n");
        CommandLine cl = RunaCli.commandLine();
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err));
        int rc = cl.execute("metrics", "--scores", csv.toString());
        assertEquals(2, rc);
        assertTrue(err.toString().contains("bad.csv line 2: score 'x' is not a number"), err.toString());
    }
}
