package dev.runa.ood;

import dev.runa.clip.LoadedClip;
import dev.runa.data.Box;
import dev.runa.image.DecodeOptions;
import dev.runa.image.PixelImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * RUNA (Regional UNcertainty Alignment; Zhang, Chen et al., "Object-level Out-of-Distribution
 * Detection via Regional Uncertainty Alignment of Multimodal Representations") for any object
 * detector: for each predicted box, the regional and the blurred-context global view go through
 * CLIP's frozen vision transformer, their pooled features are fused and projected, and the
 * similarity to the ID class prompts gives the ID scores and the decision.
 *
 * <p>Load once and share: {@link #score(PixelImage, List)} is thread-safe. The detector owns the
 * {@link LoadedClip} it was opened with and closes it in {@link #close()}. The ID prompt embeddings
 * are computed once, at construction.
 *
 * <pre>{@code
 * try (RunaDetector runa = RunaDetector.open(loader.load("openai/clip-vit-base-patch16"),
 *         RunaOptions.defaults(PromptSet.of(List.of("car", "person"))))) {
 *     for (BoxResult r : runa.score(image, boxes)) { ... r.scores().maxsim() ... }
 * }
 * }</pre>
 */
public final class RunaDetector implements AutoCloseable {
    private final LoadedClip clip;
    private final RunaOptions options;
    private final BoxFeatureExtractor extractor;
    private final RunaScorer scorer;
    private final ScoringSettings settings;
    private final Projection pretrained;

    private RunaDetector(LoadedClip clip, RunaOptions options) {
        this.clip = clip;
        this.options = options;
        this.pretrained = pretrainedProjection(clip);
        Projection regional =
                options.adapter().map(AdapterProjection::projection).orElse(pretrained);
        if (regional.outDim() != pretrained.outDim() || regional.inDim() != pretrained.inDim()) {
            throw new IllegalArgumentException(
                    "adapter projection is [" + regional.outDim() + ", " + regional.inDim() + "] but model "
                            + clip.identity() + " needs [" + pretrained.outDim() + ", " + pretrained.inDim() + "]");
        }
        FeatureFusion fusion = new FeatureFusion(options.lambda(), options.fusion(), regional, pretrained);
        this.settings = new ScoringSettings(
                clip.identity(),
                options.prompts().prompts(),
                options.lambda(),
                options.fusion(),
                options.views().describe(),
                options.adapter().map(AdapterProjection::identity).orElse("none"),
                clip.model().vision().precision().name().toLowerCase(Locale.ROOT));
        options.calibration().ifPresent(c -> c.requireCompatible(settings));
        this.scorer = new RunaScorer(
                fusion,
                new IdScorer(promptEmbeddings(clip, options.prompts())),
                options.calibration().orElse(null));
        this.extractor = new BoxFeatureExtractor(
                clip.model().vision(),
                options.views(),
                fusion.needsRegional(),
                fusion.needsGlobal(),
                options.maxViewsPerCall());
    }

    /**
     * Opens a detector over a loaded CLIP, taking ownership of it (it is closed with the detector,
     * or right away if opening fails).
     *
     * @throws IllegalArgumentException when the calibration or adapter does not fit these settings
     */
    public static RunaDetector open(LoadedClip clip, RunaOptions options) {
        try {
            return new RunaDetector(clip, options);
        } catch (RuntimeException e) {
            clip.close();
            throw e;
        }
    }

    /** Unit text embeddings of the prompts, in class order. */
    public static float[][] promptEmbeddings(LoadedClip clip, PromptSet prompts) {
        List<float[]> raw = clip.embedTexts(prompts.prompts());
        float[][] out = new float[raw.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = Projection.normalize(raw.get(i));
        }
        return out;
    }

    /** The model's own image projection ({@code visual_projection}). */
    public static Projection pretrainedProjection(LoadedClip clip) {
        float[][] rows = clip.model().vision().projection();
        int p = rows.length;
        int d = rows[0].length;
        float[] flat = new float[p * d];
        for (int i = 0; i < p; i++) {
            System.arraycopy(rows[i], 0, flat, i * d, d);
        }
        return new Projection(flat, p, d);
    }

    /** Scores every box of one image; degenerate boxes come back with an error, never an exception. */
    public List<BoxResult> score(PixelImage image, List<Box> boxes) {
        return score(List.of(prepare("image", image, boxes))).get(0);
    }

    /** The CPU half: views of every box (thread-safe; run it ahead of {@link #score(List)} on other threads). */
    public PreparedImage prepare(String source, PixelImage image, List<Box> boxes) {
        return extractor.prepare(source, image, boxes);
    }

    /** Scores prepared images, batching the views of all their boxes into few encoder calls. */
    public List<List<BoxResult>> score(List<PreparedImage> images) {
        long t0 = System.nanoTime();
        List<List<BoxFeatures>> feats = extractor.extract(images);
        int boxes = images.stream().mapToInt(i -> i.boxes().size()).sum();
        double millisPerBox = boxes == 0 ? 0 : (System.nanoTime() - t0) / 1e6 / boxes;
        List<List<BoxResult>> out = new ArrayList<>(images.size());
        for (int i = 0; i < images.size(); i++) {
            out.add(results(images.get(i), feats.get(i), millisPerBox));
        }
        return out;
    }

    // One result per prepared box: scores and decision, or the box's own error.
    private List<BoxResult> results(PreparedImage image, List<BoxFeatures> features, double millisPerBox) {
        List<PreparedImage.Prepared> prepared = image.boxes();
        List<BoxResult> out = new ArrayList<>(prepared.size());
        for (int b = 0; b < prepared.size(); b++) {
            PreparedImage.Prepared p = prepared.get(b);
            BoxFeatures f = features.get(b);
            if (f == null) {
                out.add(new BoxResult(p.box(), null, null, null, p.error(), millisPerBox, p.reason()));
            } else {
                BoxScores s = scorer.score(f);
                out.add(new BoxResult(p.box(), p.crop(), s, scorer.decide(s), null, millisPerBox));
            }
        }
        return out;
    }

    /**
     * A pipeline over this detector's encoder and views with fixed, reproducible batches of
     * {@code imagesPerBatch} images (see {@link FeaturePipeline#fixedGroups}); turn its outcomes
     * into results with {@link #results(ImageOutcome)}.
     */
    public FeaturePipeline pipeline(DecodeOptions decode, int workers, int imagesPerBatch) {
        return FeaturePipeline.fixedGroups(extractor, decode, workers, imagesPerBatch);
    }

    /**
     * Scores and decisions of one pipeline outcome, one per job box in job order. Boxes of an
     * unreadable image carry the image's error; {@code millis} is the image's time shared evenly.
     */
    public List<BoxResult> results(ImageOutcome outcome) {
        List<Box> boxes = outcome.job().boxes();
        List<BoxResult> out = new ArrayList<>(boxes.size());
        double share = boxes.isEmpty() ? 0 : outcome.millis() / boxes.size();
        if (!outcome.ok()) {
            for (Box b : boxes) {
                out.add(new BoxResult(b, null, null, null, outcome.imageError(), share, outcome.imageErrorReason()));
            }
            return out;
        }
        return results(outcome.prepared(), outcome.features(), share);
    }

    /** Pooled features of prepared images (for caches and evaluations that re-score under many settings). */
    public List<List<BoxFeatures>> features(List<PreparedImage> images) {
        return extractor.extract(images);
    }

    /** What the scores depend on; a calibration must have been made under the same settings. */
    public ScoringSettings settings() {
        return settings;
    }

    /** The options this detector runs with. */
    public RunaOptions options() {
        return options;
    }

    /** Fusion, prompts and threshold: scores pooled features without running the network. */
    public RunaScorer scorer() {
        return scorer;
    }

    /** The model's pretrained image projection. */
    public Projection pretrainedProjection() {
        return pretrained;
    }

    /** The loaded CLIP (owned by this detector). */
    public LoadedClip clip() {
        return clip;
    }

    @Override
    public void close() {
        clip.close();
    }
}
