package dev.runa.cli;

import dev.runa.ood.Calibration;
import dev.runa.ood.RunaDetector;
import dev.runa.output.ResumableFile;
import dev.runa.output.RowFormat;
import dev.runa.output.RowSink;
import dev.runa.output.StreamSink;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The row output options {@code score} and {@code detect} share: the format, stdout or a resumable
 * {@code --out} file, timing, and EXIF orientation (which changes the scores, so a resumed run must
 * match it). Each command keeps its own {@code --annotate}, whose help says what it draws.
 */
final class RowOutputOptions {
    // The command this mixin belongs to: rows without --out go to its output writer.
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(
            names = "--format",
            defaultValue = "jsonl",
            paramLabel = "FMT",
            description = "jsonl or csv (default: ${DEFAULT-VALUE})")
    String format;

    @Option(
            names = "--out",
            paramLabel = "FILE",
            description = "Write rows here (atomically, resuming FILE.partial after an interruption) instead of stdout")
    Path out;

    @Option(
            names = "--timing",
            description = "Add each box's share of the wall time ('ms'); outputs then differ run to run")
    boolean timing;

    @Option(
            names = "--exif-orientation",
            description = "Rotate images by their EXIF orientation (Pillow, and so CLIP, ignores it)")
    boolean exifOrientation;

    /** The {@code --format} and {@code --timing} row format. */
    RowFormat rowFormat() {
        return RowFormat.named(format, timing);
    }

    /**
     * The command's output writer, or the {@code --out} file, resumed when its recorded settings (the
     * detector's, these options', then {@code more}) match this run's.
     */
    RowSink open(RowFormat rowFormat, RunaDetector runa, int imagesPerBatch, int threads, Map<String, String> more)
            throws IOException {
        if (out == null) {
            return new StreamSink(spec.commandLine().getOut(), rowFormat);
        }
        Map<String, String> s = new LinkedHashMap<>(runa.settings().fields());
        Calibration cal = runa.scorer().calibration();
        s.put("decision", cal == null ? "none" : cal.score().key() + " < " + cal.threshold());
        s.put("format", rowFormat.name());
        s.put("timing", Boolean.toString(timing));
        s.put("images_per_batch", Integer.toString(imagesPerBatch));
        s.put("threads", Integer.toString(threads));
        s.put("exif_orientation", Boolean.toString(exifOrientation));
        s.putAll(more);
        return ResumableFile.open(out, rowFormat, s, imagesPerBatch);
    }
}
