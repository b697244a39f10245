package dev.runa.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runa.testing.TinyCheckpoints;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class QuantCheckCommandTest {

    private static void image(Path dir, String name, int w, int h, long seed) throws Exception {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, (x * 255 / w) << 16 | (y * 255 / h) << 8 | r.nextInt(256));
            }
        }
        ImageIO.write(img, "png", dir.resolve(name).toFile());
    }

    @Test
    void reportsFeatureScoreAndDecisionDifferencesOnGeneratedImages(@TempDir Path tmp) throws Exception {
        Path model = TinyCheckpoints.write(tmp.resolve("model"), 42);
        Path images = Files.createDirectories(tmp.resolve("images"));
        for (int i = 0; i < 3; i++) {
            image(images, "img" + i + ".png", 60 + 10 * i, 50, i);
        }
        Files.writeString(
                tmp.resolve("boxes.csv"),
                "# image,x1,y1,x2,y2\nimg0.png,0,0,30,30\nimg0.png,10,5,50,45\n"
                        + "img1.png,5,5,60,40\nimg2.png,0,0,80,50\n");
        CliRunner.Result r = CliRunner.run(
                "quant-check",
                "--model",
                model.toString(),
                "--images",
                images.toString(),
                "--boxes",
                tmp.resolve("boxes.csv").toString(),
                "--classes",
                "cat,dog,car");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        JsonNode doc = new ObjectMapper().readTree(lines[lines.length - 1]);
        assertEquals(3, doc.get("images").asInt());
        assertEquals(4, doc.get("boxes").asInt());
        // int8 against fp32 on a random tiny model: the acceptance bound of the int8 path (cosine 0.999).
        assertTrue(doc.get("pooled_cosine_min").asDouble() >= 0.999, r.out());
        assertTrue(doc.get("embedding_cosine_min").asDouble() >= 0.999, r.out());
        assertTrue(doc.get("pooled_cosine_mean").asDouble()
                >= doc.get("pooled_cosine_min").asDouble());
        assertTrue(doc.get("maxsim_delta_max").asDouble()
                >= doc.get("maxsim_delta_mean").asDouble());
        assertEquals("fp32_id95", doc.get("threshold_source").asText());
        int flips = doc.get("decision_flips").asInt();
        assertTrue(flips >= 0 && flips <= 4);
        assertTrue(r.out().contains("ID/OOD decisions flipped"), r.out());
        // Issue 9, item 12: quant-check shows progress (a plain line without a terminal).
        assertTrue(r.err().contains("quant-check: 3/3 images (100%)"), r.err());
    }

    @Test
    void helpPrintsNoPicocliWarnings() {
        // Issue 9, item 16: an unescaped % in a description made picocli warn on --help.
        CliRunner.Result r = CliRunner.run("quant-check", "--help");
        assertEquals(0, r.exitCode());
        assertTrue(!r.out().contains("[picocli WARN]") && !r.err().contains("[picocli WARN]"), r.out() + r.err());
        assertTrue(r.out().contains("95%-ID"), r.out());
    }

    @Test
    void wholeImagesWhenNoBoxesAreGiven(@TempDir Path tmp) throws Exception {
        Path model = TinyCheckpoints.write(tmp.resolve("model"), 43);
        Path images = Files.createDirectories(tmp.resolve("images"));
        image(images, "a.png", 40, 40, 1);
        image(images, "b.png", 30, 50, 2);
        CliRunner.Result r = CliRunner.run(
                "quant-check",
                "--model",
                model.toString(),
                "--images",
                images.toString(),
                "--box",
                "0,0,20,20",
                "--box",
                "5,5,30,30");
        assertEquals(0, r.exitCode(), r.err());
        String[] lines = r.out().strip().split("\n");
        assertEquals(
                4,
                new ObjectMapper()
                        .readTree(lines[lines.length - 1])
                        .get("boxes")
                        .asInt());
    }

    @Test
    void badBoxLineIsReportedWithFileAndLine(@TempDir Path tmp) throws Exception {
        Path model = TinyCheckpoints.write(tmp.resolve("model"), 44);
        Path images = Files.createDirectories(tmp.resolve("images"));
        image(images, "a.png", 40, 40, 1);
        Files.writeString(tmp.resolve("boxes.csv"), "a.png,0,0,20\n");
        CliRunner.Result r = CliRunner.run(
                "quant-check",
                "--model",
                model.toString(),
                "--images",
                images.toString(),
                "--boxes",
                tmp.resolve("boxes.csv").toString());
        assertNotEquals(0, r.exitCode());
        assertTrue(r.err().contains("boxes.csv line 1"), r.err());
    }
}
