package dev.runa.progress;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;

/**
 * The one progress policy of every long-running command: a bar on a terminal; otherwise (a log
 * file, a pipe, CI) a plain line every few seconds, without carriage returns or ANSI codes; nothing
 * with {@code --no-progress}. Progress always goes to the command's error writer: its output writer
 * carries the results.
 *
 * <p>Immutable; the tasks it starts are used from one thread each.
 */
public final class ProgressPolicy {
    /** How progress is shown. */
    public enum Mode {
        BAR,
        LINES,
        OFF
    }

    /** Line mode prints at most one line per this interval. */
    public static final Duration LINE_INTERVAL = Duration.ofSeconds(5);

    private final Mode mode;
    private final PrintWriter err;
    private final LongSupplier nanoClock;
    private final long intervalNanos;

    /**
     * @param mode      how to show progress
     * @param err       where to write it
     * @param nanoClock the time, for line mode's interval and ETA ({@code System::nanoTime})
     * @param interval  line mode's interval
     */
    public ProgressPolicy(Mode mode, PrintWriter err, LongSupplier nanoClock, Duration interval) {
        this.mode = mode;
        this.err = err;
        this.nanoClock = nanoClock;
        this.intervalNanos = interval.toNanos();
    }

    /** Bars when stderr is probably a terminal (a console is attached), lines otherwise, nothing when disabled. */
    public static ProgressPolicy forCommandLine(boolean enabled, PrintWriter err) {
        Mode mode = !enabled ? Mode.OFF : isTerminal() ? Mode.BAR : Mode.LINES;
        return new ProgressPolicy(mode, err, System::nanoTime, LINE_INTERVAL);
    }

    // Java 17 cannot ask whether stderr itself is a terminal; a console (stdin and stdout on a
    // terminal) and a TERM other than "dumb" is the closest test.
    private static boolean isTerminal() {
        String term = System.getenv("TERM");
        return System.console() != null && term != null && !term.equals("dumb");
    }

    /** Where progress is written. */
    PrintWriter err() {
        return err;
    }

    /** The mode in use. */
    public Mode mode() {
        return mode;
    }

    /**
     * Starts a task.
     *
     * @param name    what is being done ("score")
     * @param total   units of work in all
     * @param unit    the unit's name, with a leading space (" boxes")
     * @param already units already done before this run (a resumed run, cache hits)
     */
    public ProgressTask start(String name, long total, String unit, long already) {
        return switch (mode) {
            case OFF -> new Silent();
            case BAR ->
                new Bar(new ProgressBarBuilder()
                        .setTaskName(name)
                        .setInitialMax(total)
                        .setUnit(unit, 1)
                        .startsFrom(already, Duration.ZERO)
                        .setConsumer(new WriterBarConsumer(err))
                        .build());
            case LINES -> new Lines(name, total, unit, already);
        };
    }

    private static final class Silent implements ProgressTask {
        @Override
        public void stepTo(long done) {}

        @Override
        public void stepBy(long n) {}

        @Override
        public void close() {}
    }

    private static final class Bar implements ProgressTask {
        private final ProgressBar bar;

        Bar(ProgressBar bar) {
            this.bar = bar;
        }

        @Override
        public void stepTo(long done) {
            bar.stepTo(done);
        }

        @Override
        public void stepBy(long n) {
            bar.stepBy(n);
        }

        @Override
        public void message(String note) {
            bar.setExtraMessage(note);
        }

        @Override
        public void close() {
            bar.close();
        }
    }

    private final class Lines implements ProgressTask {
        private final String name;
        private final long total;
        private final String unit;
        private final long already;
        private final long start;
        private long done;
        private long lastPrint;
        private String note = "";

        Lines(String name, long total, String unit, long already) {
            this.name = name;
            this.total = total;
            this.unit = unit;
            this.already = already;
            this.done = already;
            this.start = nanoClock.getAsLong();
            this.lastPrint = start;
        }

        @Override
        public void stepTo(long d) {
            done = d;
            maybePrint();
        }

        @Override
        public void stepBy(long n) {
            done += n;
            maybePrint();
        }

        @Override
        public void message(String n) {
            note = n == null ? "" : n;
        }

        private void maybePrint() {
            long now = nanoClock.getAsLong();
            if (now - lastPrint >= intervalNanos) {
                lastPrint = now;
                print(now);
            }
        }

        private void print(long now) {
            double seconds = (now - start) / 1e9;
            long work = done - already;
            String eta = "";
            if (work > 0 && done < total) {
                eta = String.format(Locale.ROOT, ", about %.0f s left", seconds / work * (total - done));
            }
            err.printf(
                    Locale.ROOT,
                    "%s: %d/%d%s (%.0f%%), %.0f s%s%s%n",
                    name,
                    done,
                    total,
                    unit,
                    total == 0 ? 100.0 : 100.0 * done / total,
                    seconds,
                    eta,
                    note.isEmpty() ? "" : ", " + note);
        }

        @Override
        public void close() {
            print(nanoClock.getAsLong());
        }
    }
}
