package dev.runa.eval;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads a scores file: one {@code label,score} row per sample, label {@code ID} or {@code OOD}
 * (any letter case), score a decimal number with higher meaning "more ID". An optional header is
 * recognised on the first row when its label is neither ID nor OOD and its score is not a number
 * (e.g. {@code label,score}). Blank lines and surrounding spaces are ignored.
 */
public final class ScoresCsv {
    private ScoresCsv() {}

    /**
     * Reads the file.
     *
     * @throws IOException when the file cannot be read, or (as {@link MalformedScoresException}) a row
     *                     is malformed; the message names the file and line number
     */
    public static LabelledScores read(Path file) throws IOException {
        DoubleList id = new DoubleList();
        DoubleList ood = new DoubleList();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            int lineNo = 0;
            boolean firstRow = true;
            while ((line = in.readLine()) != null) {
                lineNo++;
                if (lineNo == 1 && line.startsWith("\uFEFF")) {
                    line = line.substring(1);
                }
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (cells.length != 2) {
                    throw error(
                            file,
                            lineNo,
                            "expected 2 comma-separated fields 'label,score', found " + cells.length + ": '" + line
                                    + "'");
                }
                String label = cells[0].trim().toUpperCase(Locale.ROOT);
                String scoreText = cells[1].trim();
                boolean knownLabel = label.equals("ID") || label.equals("OOD");
                if (firstRow && !knownLabel && !isNumber(scoreText)) {
                    firstRow = false;
                    continue; // header row
                }
                firstRow = false;
                if (!knownLabel) {
                    throw error(file, lineNo, "label '" + cells[0].trim() + "' is neither ID nor OOD");
                }
                double score;
                try {
                    score = Double.parseDouble(scoreText);
                } catch (NumberFormatException e) {
                    throw error(file, lineNo, "score '" + scoreText + "' is not a number");
                }
                if (!Double.isFinite(score)) {
                    throw error(file, lineNo, "score '" + scoreText + "' is not a finite number");
                }
                (label.equals("ID") ? id : ood).add(score);
            }
        }
        if (id.size() == 0 || ood.size() == 0) {
            throw new MalformedScoresException(file + ": needs at least one ID and one OOD row, found " + id.size()
                    + " ID and " + ood.size() + " OOD");
        }
        return new LabelledScores(id.toArray(), ood.toArray());
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static MalformedScoresException error(Path file, int line, String problem) {
        return new MalformedScoresException(file + " line " + line + ": " + problem);
    }

    /** A scores file whose content is not valid; the message names the file and line. */
    public static final class MalformedScoresException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedScoresException(String message) {
            super(message);
        }
    }

    private static final class DoubleList {
        private double[] values = new double[64];
        private int size;

        void add(double v) {
            if (size == values.length) {
                values = Arrays.copyOf(values, size * 2);
            }
            values[size++] = v;
        }

        int size() {
            return size;
        }

        double[] toArray() {
            return Arrays.copyOf(values, size);
        }
    }
}
