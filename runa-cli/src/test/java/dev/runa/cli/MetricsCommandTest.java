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

    @Test
    void readsTheScoresCsvThatEvalWritesChoosingExperimentSetAndScore() throws Exception {
        // Issue 9, item 16. The same numbers as a 'label,score' file are the reference.
        String head = "experiment,set,role,image_id,x1,y1,x2,y2,category_id,label,confidence,maxsim,sum\n";
        String row = "%s,%s,%s,1,0.0,0.0,5.0,5.0,1,\"a, b\",0.9,%s,%s\n";
        StringBuilder csv = new StringBuilder(head);
        for (String exp : List.of("RE", "RE+GE")) {
            double shift = exp.equals("RE") ? 0 : 10;
            csv.append(String.format(row, exp, "voc", "ID", 3 + shift, 0));
            csv.append(String.format(row, exp, "voc", "ID", 4 + shift, 0));
            csv.append(String.format(row, exp, "coco", "OOD", 1 + shift, 0));
            csv.append(String.format(row, exp, "coco", "OOD", 3.5 + shift, 0));
            csv.append(String.format(row, exp, "oi", "OOD", 9 + shift, 0));
        }
        Path eval = Files.writeString(dir.resolve("scores.csv"), csv.toString());
        Path plain = Files.writeString(dir.resolve("plain.csv"), "label,score\nID,3\nID,4\nOOD,1\nOOD,3.5\n");

        CliRunner.Result ambiguous = CliRunner.run("metrics", "--scores", eval.toString());
        assertEquals(2, ambiguous.exitCode());
        assertTrue(
                ambiguous.err().contains("2 experiments [RE, RE+GE]; choose one with --experiment"), ambiguous.err());
        CliRunner.Result chosen = CliRunner.run(
                "metrics", "--scores", eval.toString(), "--experiment", "RE", "--ood-set", "coco", "--score", "maxsim");
        assertEquals(0, chosen.exitCode(), chosen.err());
        assertEquals(CliRunner.run("metrics", "--scores", plain.toString()).out(), chosen.out());
        CliRunner.Result noScore = CliRunner.run(
                "metrics", "--scores", eval.toString(), "--experiment", "RE", "--ood-set", "coco", "--score", "energy");
        assertEquals(2, noScore.exitCode());
        assertTrue(noScore.err().contains("no score column 'energy' (scores: [maxsim, sum])"), noScore.err());
    }
}
