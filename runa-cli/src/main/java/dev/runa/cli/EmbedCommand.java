package dev.runa.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.clip.ClipImagePreprocessor;
import dev.runa.clip.ImageFeatures;
import dev.runa.clip.LoadedClip;
import dev.runa.clip.tokenizer.TokenizedText;
import dev.runa.image.DecodeOptions;
import dev.runa.image.ImageDecoder;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code runa embed}: CLIP features of images and texts. Output contract: ONE JSON document
 * {@code {"images": [{"file", "pooled", "embedding"}], "texts": [{"text", "ids", "embedding"}]}} in
 * input order; {@code pooled} is the post-LayerNorm class token before the projection, and
 * {@code embedding} the projected vector, not normalised.
 */
@Command(
        name = "embed",
        mixinStandardHelpOptions = true,
        description = "Print CLIP features of images and texts as one JSON document.")
final class EmbedCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ModelOptions modelOptions;

    @Option(names = "--image", paramLabel = "FILE", description = "An image (JPEG or PNG); repeatable")
    List<Path> images = new ArrayList<>();

    @Option(names = "--text", paramLabel = "TEXT", description = "A text; repeatable")
    List<String> texts = new ArrayList<>();

    @Option(
            names = "--exif-orientation",
            description = "Rotate images by their EXIF orientation (Pillow, and so CLIP, ignores it)")
    boolean exifOrientation;

    @Option(names = "--batch", defaultValue = "8", description = "Images per encoder call (default: ${DEFAULT-VALUE})")
    int batch;

    @Override
    public Integer call() throws Exception {
        if (images.isEmpty() && texts.isEmpty()) {
            throw new IllegalArgumentException("nothing to embed: give --image FILE and/or --text TEXT");
        }
        if (batch < 1) {
            throw new IllegalArgumentException("--batch must be >= 1, got " + batch);
        }
        ObjectMapper json = new ObjectMapper();
        ObjectNode doc = json.createObjectNode();
        try (LoadedClip clip = modelOptions.loader().load(modelOptions.model())) {
            ArrayNode imageNodes = doc.putArray("images");
            ClipImagePreprocessor pre =
                    new ClipImagePreprocessor(clip.model().config().vision().imageSize());
            DecodeOptions decode = new DecodeOptions(exifOrientation);
            for (int start = 0; start < images.size(); start += batch) {
                List<Path> chunk = images.subList(start, Math.min(images.size(), start + batch));
                float[] pixels = new float[chunk.size() * pre.floatsPerImage()];
                for (int i = 0; i < chunk.size(); i++) {
                    pre.preprocess(ImageDecoder.decode(chunk.get(i), decode), pixels, i * pre.floatsPerImage());
                }
                List<ImageFeatures> feats = clip.model().vision().encode(pixels, chunk.size());
                for (int i = 0; i < chunk.size(); i++) {
                    ObjectNode n = imageNodes.addObject();
                    n.put("file", chunk.get(i).toString());
                    floats(n.putArray("pooled"), feats.get(i).pooled());
                    floats(n.putArray("embedding"), feats.get(i).embedding());
                }
            }
            ArrayNode textNodes = doc.putArray("texts");
            if (!texts.isEmpty()) {
                List<float[]> embeddings = clip.embedTexts(texts);
                for (int i = 0; i < texts.size(); i++) {
                    TokenizedText tt = clip.tokenizer().encode(texts.get(i));
                    ObjectNode n = textNodes.addObject();
                    n.put("text", texts.get(i));
                    ArrayNode ids = n.putArray("ids");
                    for (int id : tt.ids()) {
                        ids.add(id);
                    }
                    floats(n.putArray("embedding"), embeddings.get(i));
                }
            }
        }
        spec.commandLine().getOut().println(json.writeValueAsString(doc));
        return 0;
    }

    private static void floats(ArrayNode arr, float[] values) {
        for (float v : values) {
            arr.add(v);
        }
    }
}
