package dev.runa.eval;

import java.nio.file.Path;
import java.util.List;

/**
 * The files {@link EvalReport#write} produced.
 *
 * @param json      {@code report.json}
 * @param markdown  {@code report.md}
 * @param scoresCsv {@code scores.csv}
 * @param charts    the PNG charts, under {@code charts/}
 */
public record ReportFiles(Path json, Path markdown, Path scoresCsv, List<Path> charts) {
    public ReportFiles {
        charts = List.copyOf(charts);
    }
}
