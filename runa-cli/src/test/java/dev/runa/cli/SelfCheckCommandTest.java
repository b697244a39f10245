package dev.runa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runa.data.Cifar100Binary;
import dev.runa.selfcheck.BruteForceZeroShot;
import dev.runa.selfcheck.PublishedOutputs;
import dev.runa.testing.SharedReference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code runa selfcheck} end to end, without network: the same machinery as the check on real
 * weights, on generated models and files with expected values computed independently.
 */
class SelfCheckCommandTest {
    @TempDir
    static Path tmp;

    static Path picture;
    static final List<String> LABELS = List.of("a diagram", "a dog", "a cat");
    static double[] bruteForce;

    @BeforeAll
    static void setUp() throws Exception {
        picture = BruteForceZeroShot.picture(tmp.resolve("picture.png"), 90, 70, 5);
        bruteForce = BruteForceZeroShot.softmax(BruteForceZeroShot.tinyLogits(picture, LABELS));
    }

    private static String expect(List<String> labels, double... p) {
        List<String> values = new ArrayList<>();
        for (double v : p) {
            values.add(String.format(Locale.ROOT, "%.7f", v));
        }
        return String.join(",", labels) + ":" + String.join(",", values);
    }

    @Test
    void helpDefaultsToTheModelOfThePublishedOutputs() {
        CliRunner.Result r = CliRunner.run("selfcheck", "--help");
        assertEquals(0, r.exitCode());
        assertTrue(r.out().contains("default: openai/clip-vit-base-patch32"), r.out());
        assertTrue(r.out().contains("--cifar") && r.out().contains("--expect"), r.out());
    }

    @Test
    void passesOnProbabilitiesFromABruteForceForward() {
        CliRunner.Result r = CliRunner.run(
                "selfcheck",
                "--model",
                "random:tiny",
                "--image",
                picture.toString(),
                "--expect",
                expect(LABELS, bruteForce),
                "--max-logit-shift",
                "0.001");
        assertEquals(0, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("selfcheck: PASS (1 of 1 checks)"), r.out());
        assertTrue(r.out().contains(String.format(Locale.ROOT, "%.7f", bruteForce[0])), r.out());
        assertTrue(r.err().isEmpty(), r.err());
    }

    @Test
    void failsWithExitCodeOneWhenTheProbabilitiesDiffer() throws Exception {
        // "a dog" 0.5 logits more likely than the model says: beyond the 2 x 0.2 the tolerance allows
        double[] z = BruteForceZeroShot.tinyLogits(picture, LABELS);
        z[1] += 0.5;
        CliRunner.Result r = CliRunner.run(
                "selfcheck",
                "--model",
                "random:tiny",
                "--image",
                picture.toString(),
                "--expect",
                expect(LABELS, BruteForceZeroShot.softmax(z)));
        assertEquals(1, r.exitCode(), r.out() + r.err());
        assertTrue(r.out().contains("selfcheck: FAIL (1 of 1 checks failed)"), r.out());
        // each label alone moves by about 0.25, but relative to each other by 0.5 > 0.4
        assertTrue(r.out().contains("logit shift spread 0.5000 (allowed 0.400): FAIL"), r.out());
    }

    /**
     * OpenAI's PyTorch CLIP on the reference pack's tiny checkpoint (real BPE vocabulary): its
     * logits_per_image give the expected probabilities, and runa must match them to fp32 precision.
     */
    @Test
    void passesOnOpenAisOwnOutputsForTheReferenceCheckpoint() throws Exception {
        Path tiny = SharedReference.require("reference/tiny");
        Path vocab = SharedReference.require("clip/bpe_simple_vocab_16e6.txt.gz");
        Path dir = Files.createDirectories(tmp.resolve("reference-tiny"));
        for (String f : List.of("config.json", "model.safetensors")) {
            Files.createSymbolicLink(dir.resolve(f), tiny.resolve(f));
        }
        Files.createSymbolicLink(dir.resolve(vocab.getFileName()), vocab);
        JsonNode e = new ObjectMapper().readTree(tiny.resolve("expected.json").toFile());
        List<String> texts = new ArrayList<>();
        e.get("texts").forEach(t -> texts.add(t.get("text").asText()));
        List<String> labels = texts.subList(0, 3); // the fourth contains commas
        for (int i : new int[] {0, 2, 3}) { // the PNG images; JPEG decoders may differ by a level
            JsonNode z = e.get("logits_per_image").get(i);
            double[] p = BruteForceZeroShot.softmax(new double[] {
                z.get(0).asDouble(), z.get(1).asDouble(), z.get(2).asDouble()
            });
            Path image = tiny.resolveSibling(e.get("images").get(i).get("path").asText());
            CliRunner.Result r = CliRunner.run(
                    "selfcheck",
                    "--model",
                    dir.toString(),
                    "--image",
                    image.toString(),
                    "--expect",
                    expect(labels, p),
                    "--max-logit-shift",
                    "0.001");
            assertEquals(0, r.exitCode(), image + "\n" + r.out() + r.err());
        }
    }

    @Test
    void withoutNetworkOrCacheItSaysWhatToDo() {
        CliRunner.Result r = CliRunner.run(
                "selfcheck",
                "--model",
                "random:tiny",
                "--cache",
                tmp.resolve("empty-cache").toString(),
                "--image-url",
                "http://127.0.0.1:9/CLIP.png");
        assertEquals(2, r.exitCode(), r.out() + r.err());
        assertTrue(
                r.err().contains("cannot fetch selfcheck image CLIP.png from http://127.0.0.1:9/CLIP.png")
                        && r.err().contains("give it as --image")
                        && r.err().contains("empty-cache"),
                r.err());
    }

    /** A cached CLIP.png needs no network; with --cifar and int8 every part of the report is printed. */
    @Test
    void aCachedImageNeedsNoNetworkAndTheCifarCheckRuns() throws Exception {
        Path cache = Files.createDirectories(tmp.resolve("cache"));
        Files.copy(picture, cache.resolve(PublishedOutputs.CLIP_PNG));
        Path cifar = cifarFolder(tmp.resolve("cifar-100-binary"));
        CliRunner.Result r = CliRunner.run(
                "selfcheck",
                "--model",
                "random:tiny",
                "--cache",
                cache.toString(),
                "--image-url",
                "http://127.0.0.1:9/CLIP.png",
                "--cifar",
                cifar.toString(),
                "--precision",
                "int8");
        // random weights cannot reproduce OpenAI's numbers: the check runs and fails
        assertEquals(1, r.exitCode(), r.out() + r.err());
        String out = r.out();
        assertTrue(out.contains("CLIP.png: " + cache.resolve("CLIP.png") + " (90x70 RGB"), out);
        assertTrue(out.contains("0.99279370") && out.contains("0.00421068") && out.contains("0.00299572"), out);
        assertTrue(out.contains("CIFAR-100 #3637: ") && out.contains("(labelled turtle)"), out);
        assertTrue(out.contains("100 prompts, logit scale 100.0000"), out);
        assertTrue(out.contains("0.65310000") && out.contains("sweet_pepper"), out);
        assertTrue(out.contains("computed top 5:"), out);
        assertTrue(out.contains("int8 vs fp32: max |difference|"), out);
        assertTrue(out.contains("selfcheck: FAIL"), out);
        assertTrue(r.err().contains("note: the published outputs are openai/clip-vit-base-patch32's"), r.err());
    }

    @Test
    void badArgumentsAreNamed() throws Exception {
        CliRunner.Result noImage = CliRunner.run("selfcheck", "--model", "random:tiny", "--expect", "a,b:0.5,0.5");
        assertEquals(2, noImage.exitCode());
        assertTrue(noImage.err().contains("--expect needs --image F"), noImage.err());

        CliRunner.Result badSpec = CliRunner.run(
                "selfcheck", "--model", "random:tiny", "--image", picture.toString(), "--expect", "a,b:0.5");
        assertEquals(2, badSpec.exitCode());
        assertTrue(badSpec.err().contains("2 labels and 1 probabilities"), badSpec.err());

        CliRunner.Result noCifar = CliRunner.run(
                "selfcheck",
                "--model",
                "random:tiny",
                "--image",
                picture.toString(),
                "--cifar",
                tmp.resolve("nowhere").toString());
        assertEquals(2, noCifar.exitCode());
        assertTrue(noCifar.err().contains("fine_label_names.txt: no such file"), noCifar.err());
    }

    /** A cifar-100-binary folder whose image 3637 is labelled "turtle" (index 1 of the names). */
    private static Path cifarFolder(Path dir) throws Exception {
        Files.createDirectories(dir);
        List<String> names = new ArrayList<>(PublishedOutputs.CIFAR_TOP5);
        for (int i = names.size(); i < 100; i++) {
            names.add("class_" + i);
        }
        Files.write(dir.resolve(Cifar100Binary.FINE_LABEL_NAMES), names);
        int n = PublishedOutputs.CIFAR_INDEX + 1;
        byte[] all = new byte[n * Cifar100Binary.RECORD_BYTES];
        new Random(9).nextBytes(all);
        for (int i = 0; i < n; i++) {
            all[i * Cifar100Binary.RECORD_BYTES] = (byte) (i % 20);
            all[i * Cifar100Binary.RECORD_BYTES + 1] = (byte) (i == PublishedOutputs.CIFAR_INDEX ? 1 : i % 100);
        }
        Files.write(dir.resolve(Cifar100Binary.TEST_FILE), all);
        return dir;
    }
}
