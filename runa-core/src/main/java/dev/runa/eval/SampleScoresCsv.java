package dev.runa.eval;

import dev.runa.output.CsvLine;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes the per-box {@code scores.csv}: one row per sample and experiment, columns
 * {@code experiment,set,role,image_id,x1,y1,x2,y2,category_id,label,confidence} and then one column per
 * score key (the union over all experiments, in order of first appearance; empty where an experiment
 * lacks the score). {@code role} is {@code ID} or {@code OOD}; ID samples appear once per experiment
 * with {@code set} = the ID set name. Numbers are written with {@link Double#toString} (exact round
 * trip); text fields are quoted by {@link CsvLine}.
 */
final class SampleScoresCsv {
    static final List<String> FIXED_COLUMNS = List.of(
            "experiment", "set", "role", "image_id", "x1", "y1", "x2", "y2", "category_id", "label", "confidence");

    private SampleScoresCsv() {}

    static void write(List<ExperimentResult> experiments, OutputStream stream) throws IOException {
        Set<String> keySet = new LinkedHashSet<>();
        experiments.forEach(e -> keySet.addAll(e.scoreKeys()));
        List<String> keys = new ArrayList<>(keySet);
        Writer out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8));
        List<String> header = new ArrayList<>(FIXED_COLUMNS);
        header.addAll(keys);
        writeRow(out, header);
        for (ExperimentResult e : experiments) {
            for (ScoredSample s : e.idSamples()) {
                writeSample(out, e.name(), e.idSet(), "ID", s, keys);
            }
            for (Map.Entry<String, List<ScoredSample>> set : e.oodSamples().entrySet()) {
                for (ScoredSample s : set.getValue()) {
                    writeSample(out, e.name(), set.getKey(), "OOD", s, keys);
                }
            }
        }
        out.flush();
    }

    private static void writeSample(
            Writer out, String experiment, String set, String role, ScoredSample s, List<String> keys)
            throws IOException {
        List<String> cells = new ArrayList<>(FIXED_COLUMNS.size() + keys.size());
        cells.add(experiment);
        cells.add(set);
        cells.add(role);
        cells.add(s.imageId());
        cells.add(Double.toString(s.box().x1()));
        cells.add(Double.toString(s.box().y1()));
        cells.add(Double.toString(s.box().x2()));
        cells.add(Double.toString(s.box().y2()));
        cells.add(Integer.toString(s.categoryId()));
        cells.add(s.label());
        cells.add(Double.toString(s.confidence()));
        for (String k : keys) {
            Double v = s.scores().get(k);
            cells.add(v == null ? "" : Double.toString(v));
        }
        writeRow(out, cells);
    }

    private static void writeRow(Writer out, List<String> cells) throws IOException {
        out.write(CsvLine.join(cells));
        out.write('\n');
    }
}
