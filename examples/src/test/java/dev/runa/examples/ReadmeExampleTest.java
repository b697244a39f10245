package dev.runa.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's library example: its text is the example's, and it runs on a generated tiny model. */
class ReadmeExampleTest {

    private static String squeeze(String code) {
        return code.replaceAll("\\s+", " ").replace("( ", "(").trim();
    }

    @Test
    void readmeShowsTheExampleCode() throws IOException {
        String readme = Files.readString(Path.of("../README.md"));
        Matcher block = Pattern.compile("```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(block.find(), "README has a java block");
        String source = Files.readString(Path.of("src/main/java/dev/runa/examples/ScoreBoxes.java"));
        String body = source.substring(
                source.indexOf("// README begin") + "// README begin".length(), source.indexOf("// README end"));
        // The example takes the model and the image as parameters; the README names them literally.
        String asReadme = body.replace("loader.load(model)", "loader.load(\"openai/clip-vit-base-patch16\")")
                .replace("ImageDecoder.decode(street)", "ImageDecoder.decode(Path.of(\"street.jpg\"))");
        assertEquals(squeeze(block.group(1)), squeeze(asReadme));
    }

    @Test
    void exampleRunsOnATinyModel(@TempDir Path tmp) throws Exception {
        Path street = tmp.resolve("street.png");
        ImageIO.write(new BufferedImage(320, 320, BufferedImage.TYPE_INT_RGB), "png", street.toFile());
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ScoreBoxes.main(new String[] {"random:tiny", street.toString()});
        } finally {
            System.setOut(old);
        }
        String out = captured.toString(StandardCharsets.UTF_8).trim();
        // One box, scored: "<maxsim> ood=null" (no calibration given).
        assertTrue(out.matches("-?\\d+\\.\\d+(E-?\\d+)? ood=null"), out);
    }
}
