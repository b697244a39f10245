package dev.runa.cli;

import dev.runa.clip.Precision;
import dev.runa.data.Cifar100Binary;
import dev.runa.demo.PhotoCache;
import dev.runa.selfcheck.CaseResult;
import dev.runa.selfcheck.Comparison;
import dev.runa.selfcheck.ExpectedProbabilities;
import dev.runa.selfcheck.PublishedOutputs;
import dev.runa.selfcheck.SelfCheck;
import dev.runa.selfcheck.SelfCheckReport;
import dev.runa.selfcheck.Tolerance;
import dev.runa.selfcheck.ZeroShotCase;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code runa selfcheck}: reproduces the outputs OpenAI's CLIP README publishes for ViT-B/32 (and,
 * with {@code --expect}, any expected probabilities) and says PASS or FAIL. Exit code 0 only on PASS,
 * 1 on FAIL, 2 when the check could not run.
 */
@Command(
        name = "selfcheck",
        mixinStandardHelpOptions = true,
        defaultValueProvider = SelfCheckCommand.Defaults.class,
        description = {
            "Check runa against OpenAI's published CLIP outputs (CLIP.png; CIFAR-100 image 3637 with --cifar),"
                    + " or an image against --expect. Exit code 0 only on PASS.",
            "Downloads CLIP.png and the model on first use; later runs need no network."
        })
final class SelfCheckCommand implements Callable<Integer> {

    /** The published outputs are ViT-B/32's, so that is this command's default model. */
    static final class Defaults implements CommandLine.IDefaultValueProvider {
        @Override
        public String defaultValue(ArgSpec arg) {
            if (arg instanceof OptionSpec o && o.longestName().equals("--model")) {
                return PublishedOutputs.MODEL;
            }
            return null;
        }
    }

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(
            names = "--image",
            paramLabel = "F",
            description = "A local copy of CLIP.png (no download); with --expect, any image to check")
    Path image;

    @Option(
            names = "--expect",
            paramLabel = "LABELS:PROBS",
            description = "Expected probabilities for --image: 'a,b,c:p1,p2,p3' (labels are the prompts;"
                    + " decimals or percentages)")
    String expect;

    @Option(
            names = "--cifar",
            paramLabel = "DIR",
            description = "Also check CIFAR-100 test image 3637: the cifar-100-binary folder (test.bin,"
                    + " fine_label_names.txt)")
    Path cifar;

    @Option(
            names = "--cache",
            paramLabel = "DIR",
            description = "Where the downloaded CLIP.png is kept (default: ~/.cache/runa/selfcheck)")
    Path cache;

    @Option(
            names = "--image-url",
            paramLabel = "URL",
            defaultValue = PublishedOutputs.CLIP_PNG_URL,
            description = "Where to fetch CLIP.png (default: ${DEFAULT-VALUE})")
    String imageUrl;

    @Option(
            names = "--max-logit-shift",
            paramLabel = "D",
            description = "Largest logit shift allowed per label (default: ${DEFAULT-VALUE}, fp16 GPU vs fp32 CPU"
                    + " with margin; probabilities may then move by the factor exp(+-2D))")
    double maxLogitShift = Tolerance.FP16_GPU.maxLogitShift();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Tolerance tolerance = new Tolerance(maxLogitShift);
        List<ZeroShotCase> cases = new ArrayList<>();
        if (expect != null) {
            if (image == null) {
                throw new IllegalArgumentException("--expect needs --image F: the image the probabilities are for");
            }
            cases.add(PublishedOutputs.custom(
                    image, ExpectedProbabilities.parse(expect, "--expect on the command line"), tolerance));
        } else {
            PhotoCache store = PhotoCache.downloadingInto(cache != null ? cache : PublishedOutputs.defaultCacheDir());
            Path png = image != null ? image : PublishedOutputs.fetchClipPng(store, imageUrl);
            cases.add(PublishedOutputs.clipPng(png, tolerance));
        }
        if (cifar != null) {
            cases.add(PublishedOutputs.cifar(Cifar100Binary.openTestSplit(cifar), tolerance));
        }
        boolean published = expect == null || cifar != null;
        if (published && !modelOptions.model().equals(PublishedOutputs.MODEL)) {
            err.println("runa selfcheck: note: the published outputs are " + PublishedOutputs.MODEL + "'s; --model "
                    + modelOptions.model() + " is not expected to reproduce them");
        }
        boolean int8 = modelOptions.precision().resolve() == Precision.INT8;
        SelfCheckReport report = new SelfCheck(modelOptions.loader()).run(modelOptions.model(), cases, int8);
        print(out, report, tolerance);
        out.flush();
        return report.pass() ? 0 : 1;
    }

    private static void print(PrintWriter out, SelfCheckReport report, Tolerance tolerance) {
        out.printf(
                Locale.ROOT,
                "runa selfcheck: model %s, fp32, checkpoint logit scale %.4f%n",
                report.model(),
                report.checkpointScale());
        out.printf(
                Locale.ROOT,
                "tolerance: every label's logit shift ln(computed/expected), and their spread, within %.3f"
                        + " (= 2 x %.3f per-logit drift; fp16 GPU vs fp32 CPU, see README 'Verify on real weights')%n",
                tolerance.maxProbabilityShift(),
                tolerance.maxLogitShift());
        int failed = 0;
        for (CaseResult r : report.cases()) {
            out.println();
            out.printf(Locale.ROOT, "%s: %s%n", r.check().name(), r.check().imageInfo());
            out.printf(
                    Locale.ROOT,
                    "  %d prompts, logit scale %.4f; expected: %s%n",
                    r.check().prompts().size(),
                    r.logitScale(),
                    r.check().expected().source());
            table(out, r.verdict());
            if (!r.check().expected().complete()) {
                StringBuilder top = new StringBuilder("  computed top ")
                        .append(r.check().expected().labels().size())
                        .append(':');
                for (CaseResult.Ranked k : r.top(r.check().expected().labels().size())) {
                    top.append(String.format(Locale.ROOT, " %s %.2f%%", k.label(), 100 * k.probability()));
                }
                out.println(top);
            }
            if (!r.verdict().intruders().isEmpty()) {
                out.println("  labels above the published top-k's bound: "
                        + r.verdict().intruders());
            }
            out.printf(
                    Locale.ROOT,
                    "  logit shift spread %.4f (allowed %.3f): %s%n",
                    r.verdict().shiftSpread(),
                    r.verdict().allowed(),
                    r.verdict().pass() ? "PASS" : "FAIL");
            if (r.int8() != null) {
                CaseResult.Int8Drift d = r.int8();
                StringBuilder s = new StringBuilder("  int8 vision encoder:");
                for (Comparison.Row row : d.againstExpected().rows()) {
                    s.append(String.format(Locale.ROOT, " %s %.7f", row.label(), row.computed()));
                }
                out.println(s);
                out.printf(
                        Locale.ROOT,
                        "  int8 vs fp32: max |difference| %.2e, max |ln(int8/fp32)| %.4f over all %d labels;"
                                + " int8 vs expected: %s (reported only; the verdict is fp32's)%n",
                        d.maxAbsDifference(),
                        d.maxAbsLogitShift(),
                        d.probabilities().size(),
                        d.againstExpected().pass() ? "within tolerance" : "OUTSIDE tolerance");
            }
            if (!r.verdict().pass()) {
                failed++;
            }
        }
        out.println();
        out.println(
                failed == 0
                        ? "selfcheck: PASS (" + report.cases().size() + " of "
                                + report.cases().size() + " checks)"
                        : "selfcheck: FAIL (" + failed + " of " + report.cases().size() + " checks failed)");
    }

    private static void table(PrintWriter out, Comparison c) {
        int width = 5;
        for (Comparison.Row row : c.rows()) {
            width = Math.max(width, row.label().length());
        }
        out.printf(
                Locale.ROOT,
                "  %-" + width + "s  %12s  %12s  %12s  %11s%n",
                "label",
                "computed",
                "expected",
                "difference",
                "logit shift");
        for (Comparison.Row row : c.rows()) {
            out.printf(
                    Locale.ROOT,
                    "  %-" + width + "s  %12.8f  %12.8f  %+12.8f  %+11.5f%s%n",
                    row.label(),
                    row.computed(),
                    row.expected(),
                    row.difference(),
                    row.logitShift(),
                    row.ok() ? "" : "  <- outside");
        }
    }
}
