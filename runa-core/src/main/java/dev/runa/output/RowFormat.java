package dev.runa.output;

import dev.runa.batch.ScoredImage;
import dev.runa.settings.SettingException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** How rows are written as text lines (without the newline) and read back for resuming. */
public interface RowFormat {
    /** The first line of the file, or null when the format has none. */
    String header();

    /** One row as one line. */
    String format(BoxRow row);

    /** One scored image's rows, one line per box in box order (see {@link BoxRow#of}). */
    default List<String> lines(ScoredImage image, List<String> classLabels) {
        List<String> lines = new ArrayList<>(image.results().size());
        for (BoxRow row : BoxRow.of(image, classLabels)) {
            lines.add(format(row));
        }
        return lines;
    }

    /**
     * The position a written line records.
     *
     * @throws IllegalArgumentException when the line is not a complete row of this format
     */
    RowPosition position(String line);

    /** A short name for settings records ({@code jsonl}, {@code csv}). */
    String name();

    /**
     * The format named {@code jsonl} or {@code csv}.
     *
     * @param timing add each box's wall-time share ({@code ms}); makes the output differ run to run
     */
    static RowFormat named(String name, boolean timing) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "jsonl", "json" -> new JsonLinesFormat(timing);
            case "csv" -> new CsvFormat(timing);
            default -> throw SettingException.of("format", "unknown format '" + name + "' (known: jsonl, csv)");
        };
    }
}
