package dev.runa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.adapter.Adapter;
import dev.runa.adapter.AdapterFile;
import dev.runa.finetune.ShapesDataset;
import dev.runa.ood.BoxViewOptions;
import dev.runa.testing.TinyCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code runa finetune} end to end on a generated dataset and the tiny random model, then the adapter in use. */
class FinetuneCommandTest {
    @TempDir
    Path dir;

    static final String CLASSES = ShapesDataset.classList(ShapesDataset.ID);

    /** The command line, with {@code extra} options ("--name", "value" pairs or flags) overriding the defaults. */
    private List<String> args(Path gt, Path out, String... extra) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("--gt", gt.toString());
        o.put("--gt-format", "coco");
        o.put("--images", gt.getParent().toString());
        o.put("--shots", "10");
        o.put("--out", out.toString());
        o.put("--classes", CLASSES);
        o.put("--model", "random:tiny");
        o.put("--epochs", "40");
        o.put("--lr", "1e-2");
        o.put("--seed", "5");
        o.put("--holdout", "0.25");
        o.put("--cache", dir.resolve("cache").toString());
        o.put("--lambda", "0.7");
        for (int i = 0; i < extra.length; i++) {
            boolean flag = i + 1 == extra.length || extra[i + 1].startsWith("--");
            o.put(extra[i], flag ? null : extra[++i]);
        }
        List<String> a = new ArrayList<>(List.of("finetune"));
        o.forEach((k, v) -> {
            a.add(k);
            if (v != null) {
                a.add(v);
            }
        });
        return a;
    }

    private static int[] reusedComputed(String out) {
        Matcher m = Pattern.compile("features: (\\d+) reused, (\\d+) computed").matcher(out);
        assertTrue(m.find(), out);
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    @Test
    void finetuneWritesAnAdapterThatScoringAcceptsAndASecondRunReusesEveryFeature() throws Exception {
        Path gt = ShapesDataset.write(dir.resolve("data"), ShapesDataset.ID, 16, 3, 128, 64);
        Path out = dir.resolve("adapter.safetensors");
        CliRunner.Result r = CliRunner.run(args(gt, out).toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        // 16 boxes per class, 4 held out (0.25), 10 of the other 12 are shots: 4 x (10 + 4) features
        assertEquals(56, reusedComputed(r.out())[1], r.out());
        assertEquals(0, reusedComputed(r.out())[0], r.out());
        assertTrue(r.out().contains("shots: 40 (10 per class): red square 10, green circle 10"), r.out());
        assertTrue(r.out().contains("held-out accuracy (16 boxes): "), r.out());
        assertTrue(r.out().contains("training: 40 epochs, loss "), r.out());
        assertTrue(r.err().contains("epochs") && r.err().contains("features"), "progress bars on stderr: " + r.err());

        Adapter a = AdapterFile.read(out);
        assertEquals("random:tiny", a.provenance().baseModel());
        assertEquals(List.of(CLASSES.split(",")), a.provenance().classes());
        assertEquals(10, a.provenance().shots());
        assertEquals(40, a.provenance().epochs());
        assertEquals(5, a.provenance().seed());
        assertEquals(0.7, a.provenance().lambda());
        assertEquals(1e-2, a.provenance().learningRate());
        assertEquals(BoxViewOptions.DEFAULT.describe(), a.provenance().views());
        assertTrue(Double.isFinite(a.provenance().finalLoss()));

        // same data, more shots than there are: every earlier feature is reused, the short classes are named
        Path out2 = dir.resolve("adapter2.safetensors");
        CliRunner.Result again = CliRunner.run(args(gt, out2, "--no-progress").toArray(String[]::new));
        assertEquals(0, again.exitCode(), again.err());
        assertEquals(56, reusedComputed(again.out())[0], again.out());
        assertEquals(0, reusedComputed(again.out())[1], again.out());
        assertEquals("", again.err());
        CliRunner.Result more = CliRunner.run(args(gt, dir.resolve("a3.safetensors"), "--no-progress", "--shots", "14")
                .toArray(String[]::new));
        assertEquals(0, more.exitCode(), more.err());
        assertEquals(56, reusedComputed(more.out())[0], more.out());
        assertEquals(8, reusedComputed(more.out())[1], more.out()); // 2 more shots per class
        assertTrue(more.out().contains("red square 12 (short: 12 available)"), more.out());

        // the adapter in use: runa score loads it for the same model and classes ...
        Path image = gt.getParent().resolve("img00000.png");
        CliRunner.Result scored = CliRunner.run(
                "score",
                "--model",
                "random:tiny",
                "--image",
                image.toString(),
                "--box",
                "4,4,40,40",
                "--classes",
                CLASSES,
                "--adapter",
                out.toString(),
                "--lambda",
                "0.7");
        assertEquals(0, scored.exitCode(), scored.err());
        assertEquals(1, scored.out().lines().filter(l -> l.startsWith("{")).count(), scored.out());
        CliRunner.Result plain = CliRunner.run(
                "score",
                "--model",
                "random:tiny",
                "--image",
                image.toString(),
                "--box",
                "4,4,40,40",
                "--classes",
                CLASSES,
                "--lambda",
                "0.7");
        assertEquals(0, plain.exitCode(), plain.err());
        assertTrue(!plain.out().equals(scored.out()), "the adapter changes the scores");
        // ... and refuses it for another model, saying which
        Path otherModel = TinyCheckpoints.write(dir.resolve("other-model"), 9);
        CliRunner.Result wrongModel = CliRunner.run(
                "score",
                "--model",
                otherModel.toString(),
                "--image",
                image.toString(),
                "--box",
                "4,4,40,40",
                "--classes",
                CLASSES,
                "--adapter",
                out.toString());
        assertEquals(2, wrongModel.exitCode(), wrongModel.out());
        assertTrue(
                wrongModel.err().contains("base model 'random:tiny'")
                        && wrongModel.err().contains("local:sha256:"), // a folder is known by its content
                wrongModel.err());
        // ... or another class list, saying how it differs
        CliRunner.Result wrongClasses = CliRunner.run(
                "score",
                "--model",
                "random:tiny",
                "--image",
                image.toString(),
                "--box",
                "4,4,40,40",
                "--classes",
                "red square,green circle,cat",
                "--adapter",
                out.toString());
        assertEquals(2, wrongClasses.exitCode(), wrongClasses.out());
        assertTrue(
                wrongClasses.err().contains("'blue triangle'")
                        && wrongClasses.err().contains("'cat'"),
                wrongClasses.err());
    }

    @Test
    void badInputIsOneClearLine() throws Exception {
        Path gt = ShapesDataset.write(dir.resolve("data"), ShapesDataset.ID, 2, 3, 64, 32);
        CliRunner.Result noClasses =
                CliRunner.run(args(gt, dir.resolve("a.safetensors"), "--no-progress", "--classes", "cat,dog")
                        .toArray(String[]::new));
        assertEquals(2, noClasses.exitCode());
        assertTrue(noClasses.err().contains("no boxes of the ID classes"), noClasses.err());
        CliRunner.Result badShots = CliRunner.run(
                args(gt, dir.resolve("a.safetensors"), "--shots", "few").toArray(String[]::new));
        assertEquals(2, badShots.exitCode());
        assertTrue(badShots.err().contains("shots must be a number"), badShots.err());
        assertTrue(Files.notExists(dir.resolve("a.safetensors")));
    }

    @Test
    void anUnreadableImageIsSkippedAndReportedNotFatal() throws Exception {
        Path gt = ShapesDataset.write(dir.resolve("data"), ShapesDataset.ID, 6, 3, 64, 32);
        Path bad = gt.getParent().resolve("img00000.png");
        byte[] png = Files.readAllBytes(bad);
        Files.write(bad, java.util.Arrays.copyOf(png, 40)); // cut inside the header's data
        Path out = dir.resolve("a.safetensors");
        CliRunner.Result r =
                CliRunner.run(args(gt, out, "--no-progress", "--shots", "all", "--holdout", "0", "--epochs", "2")
                        .toArray(String[]::new));
        assertEquals(0, r.exitCode(), r.err());
        assertTrue(Files.exists(out));
        assertTrue(r.out().contains("skipped boxes: 2 "), r.out());
        assertTrue(r.err().contains("runa: warning: skipped image 0: cannot decode image " + bad), r.err());

        // With every image unreadable no class keeps a shot: then, and only then, finetune fails.
        try (var files = Files.list(gt.getParent())) {
            for (Path f : files.filter(f -> f.toString().endsWith(".png")).toList()) {
                Files.write(f, new byte[] {1, 2, 3});
            }
        }
        Path none = dir.resolve("none.safetensors");
        CliRunner.Result all = CliRunner.run(args(
                        gt,
                        none,
                        "--no-progress",
                        "--shots",
                        "all",
                        "--holdout",
                        "0",
                        "--cache",
                        dir.resolve("cache2").toString())
                .toArray(String[]::new));
        assertEquals(2, all.exitCode(), all.err());
        assertTrue(all.err().contains("no usable shot left for class 'red square'"), all.err());
        assertTrue(Files.notExists(none));
    }
}
