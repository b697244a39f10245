package dev.runa;

import dev.runa.clip.ClipLoader;
import dev.runa.clip.EncoderOptions;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.data.Box;
import dev.runa.data.LabelSet;
import dev.runa.image.ImageDecoder;
import dev.runa.image.PixelImage;
import dev.runa.ood.BoxResult;
import dev.runa.ood.PromptSet;
import dev.runa.ood.RunaDetector;
import dev.runa.ood.RunaOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README's library example, as written there, on random:tiny instead of a downloaded model. */
class ReadmeExampleTest {

    @Test
    void libraryExampleRuns(@TempDir Path tmp) throws Exception {
        Path street = tmp.resolve("street.png");
        ImageIO.write(new BufferedImage(320, 320, BufferedImage.TYPE_INT_RGB), "png", street.toFile());

        ClipLoader loader = new ClipLoader(new HubClient(HubSettings.fromEnvironment()), EncoderOptions.defaults());
        try (RunaDetector runa = RunaDetector.open(loader.load("random:tiny"),
                RunaOptions.defaults(PromptSet.of(LabelSet.VOC.promptLabels())))) {
            PixelImage image = ImageDecoder.decode(street);
            List<BoxResult> results = runa.score(image, List.of(new Box(12.5, 40, 230, 310)));
            assertEquals(1, results.size());
            assertTrue(results.get(0).ok());
            assertTrue(Double.isFinite(results.get(0).scores().maxsim()));
        }
    }
}
