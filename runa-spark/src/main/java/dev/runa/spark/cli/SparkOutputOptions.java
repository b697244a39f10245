package dev.runa.spark.cli;

import dev.runa.spark.table.ScoreRows;
import picocli.CommandLine.Option;

/** Where a Spark job's rows go: {@code --out}, {@code --format}, {@code --overwrite} (spark-score, spark-detect). */
final class SparkOutputOptions {
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory (path or URI)")
    String out;

    @Option(
            names = "--format",
            defaultValue = "parquet",
            paramLabel = "FMT",
            description = "parquet or json (JSON part files, one row per line) (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--overwrite", description = "Replace an existing --out (otherwise refused)")
    boolean overwrite;

    /** The parsed {@code --format}. */
    ScoreRows.Format format() {
        return ScoreRows.Format.parse(format);
    }

    /** The refusal of an existing {@code --out}, with the flag that lifts it. */
    static IllegalArgumentException exists(ScoreRows.OutputExistsException e) {
        return new IllegalArgumentException(e.getMessage() + "; give --overwrite to replace it", e);
    }
}
