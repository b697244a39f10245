package dev.runa.eval;

import dev.runa.output.CsvLine;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads ID and OOD scores back from the {@code scores.csv} that {@code eval} writes (see
 * {@link SampleScoresCsv}): one experiment, the ID rows and one OOD set's rows, one score column.
 */
public final class EvalScoresCsv {
    private EvalScoresCsv() {}

    /** Whether {@code file}'s first line is the header of an eval {@code scores.csv}. */
    public static boolean isEvalScores(Path file) throws IOException {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String first = in.readLine();
            return first != null && first.replace("\uFEFF", "").startsWith("experiment,set,role,");
        }
    }

    /**
     * The scores of one experiment against one OOD set.
     *
     * @param experiment the experiment's name, or null when the file has exactly one
     * @param oodSet     the OOD set's name, or null when the file has exactly one
     * @param score      the score column (e.g. {@code maxsim})
     * @throws ScoresCsv.MalformedScoresException naming the file and the choices when a selection is
     *                                            missing, ambiguous or empty, or a value is not a number
     */
    public static LabelledScores read(Path file, String experiment, String oodSet, String score) throws IOException {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.isEmpty()) {
            throw new ScoresCsv.MalformedScoresException(file + ": empty file");
        }
        List<String> header = CsvLine.parse(lines.get(0).replace("\uFEFF", ""));
        int col = header.indexOf(score);
        if (col < SampleScoresCsv.FIXED_COLUMNS.size()) {
            throw new ScoresCsv.MalformedScoresException(file + ": no score column '" + score + "' (scores: "
                    + header.subList(SampleScoresCsv.FIXED_COLUMNS.size(), header.size()) + ")");
        }
        List<List<String>> rows = new ArrayList<>();
        Set<String> experiments = new LinkedHashSet<>();
        Set<String> oodSets = new LinkedHashSet<>();
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> r = CsvLine.parse(lines.get(i));
            if (r.size() != header.size()) {
                throw new ScoresCsv.MalformedScoresException(
                        file + " line " + (i + 1) + ": " + r.size() + " fields, the header has " + header.size());
            }
            rows.add(r);
            experiments.add(r.get(0));
            if (r.get(2).equals("OOD")) {
                oodSets.add(r.get(1));
            }
        }
        String exp = choose(file, "experiment", experiment, experiments);
        String set = choose(file, "OOD set", oodSet, oodSets);
        List<Double> id = new ArrayList<>();
        List<Double> ood = new ArrayList<>();
        for (List<String> r : rows) {
            boolean isId = r.get(2).equals("ID");
            if (!r.get(0).equals(exp)
                    || !(isId || r.get(1).equals(set))
                    || r.get(col).isEmpty()) {
                continue;
            }
            double v;
            try {
                v = Double.parseDouble(r.get(col));
            } catch (NumberFormatException e) {
                throw new ScoresCsv.MalformedScoresException(
                        file + ": " + score + " value '" + r.get(col) + "' is not a number");
            }
            (isId ? id : ood).add(v);
        }
        if (id.isEmpty() || ood.isEmpty()) {
            throw new ScoresCsv.MalformedScoresException(file + ": experiment '" + exp + "' has " + id.size()
                    + " ID and " + ood.size() + " OOD '" + set + "' values of " + score);
        }
        return new LabelledScores(
                id.stream().mapToDouble(Double::doubleValue).toArray(),
                ood.stream().mapToDouble(Double::doubleValue).toArray());
    }

    private static String choose(Path file, String what, String wanted, Set<String> present)
            throws ScoresCsv.MalformedScoresException {
        if (wanted != null) {
            if (!present.contains(wanted)) {
                throw new ScoresCsv.MalformedScoresException(
                        file + ": no " + what + " '" + wanted + "' (present: " + present + ")");
            }
            return wanted;
        }
        if (present.size() != 1) {
            throw new ScoresCsv.MalformedScoresException(
                    file + ": " + present.size() + " " + what + "s " + present + "; choose one");
        }
        return present.iterator().next();
    }
}
