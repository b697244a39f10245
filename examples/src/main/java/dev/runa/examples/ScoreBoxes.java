package dev.runa.examples;

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
import java.nio.file.Path;
import java.util.List;

/**
 * The README's library example, compiled against {@code runa-core} alone. The block between the
 * {@code README} markers is the README's code with the model id and the image path as parameters;
 * {@code ReadmeExampleTest} checks that the two stay the same.
 *
 * <p>Usage: {@code ScoreBoxes [MODEL [IMAGE]]}, by default {@code openai/clip-vit-base-patch16} and
 * {@code street.jpg}.
 */
public final class ScoreBoxes {
    private ScoreBoxes() {}

    public static void main(String[] args) throws Exception {
        String model = args.length > 0 ? args[0] : "openai/clip-vit-base-patch16";
        Path street = Path.of(args.length > 1 ? args[1] : "street.jpg");
        // README begin
        ClipLoader loader = new ClipLoader(new HubClient(HubSettings.fromEnvironment()), EncoderOptions.defaults());
        try (RunaDetector runa = RunaDetector.open(
                loader.load(model), RunaOptions.defaults(PromptSet.of(LabelSet.VOC.promptLabels())))) {
            PixelImage image = ImageDecoder.decode(street);
            for (BoxResult r : runa.score(image, List.of(new Box(12.5, 40, 230, 310)))) {
                System.out.println(r.ok() ? r.scores().maxsim() + " ood=" + r.ood() : r.error());
            }
        }
        // README end
    }
}
