package dev.runa.clip;

import dev.runa.clip.checkpoint.ContentDigests;
import dev.runa.clip.checkpoint.ModelDirectory;
import dev.runa.clip.checkpoint.WeightSource;
import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubException;
import dev.runa.clip.hub.ModelSpec;
import dev.runa.clip.tokenizer.BpeVocabulary;
import dev.runa.clip.tokenizer.ClipTokenizer;
import dev.runa.io.CacheFolders;
import dev.runa.io.Sha256;
import dev.runa.settings.SettingException;
import dev.runa.settings.SettingMessage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Turns a {@code --model} argument into a {@link LoadedClip}: a Hugging Face id
 * ({@code openai/clip-vit-base-patch16}, optionally {@code @REVISION}), a local checkpoint
 * directory, or {@code random:NAME} (seeded random weights of a preset architecture, with a
 * byte-level tokenizer). The one place that knows these sources.
 */
public final class ClipLoader {
    /** The default backbone (docs/method.md section 2). */
    public static final String DEFAULT_MODEL = "openai/clip-vit-base-patch16";

    private static final String RANDOM_PREFIX = "random:";
    /** Seed of {@code random:NAME} weights: fixed, so that every run sees the same model. */
    private static final long RANDOM_SEED = 0;
    /** Suffix of {@code random:NAME-trained-ln}: LayerNorm biases spread like a trained CLIP's. */
    private static final String TRAINED_LN_SUFFIX = "-trained-ln";

    // Files of the two layouts on the hub; weights are probed in preference order.
    private static final List<String> HF_FILES = List.of("config.json");
    private static final List<String> HF_TOKENIZER = List.of("vocab.json", "merges.txt");
    private static final List<String> WEIGHT_CANDIDATES = List.of("model.safetensors", "pytorch_model.bin");
    private static final String OPEN_CLIP_CONFIG = "open_clip_config.json";
    private static final List<String> OPEN_CLIP_WEIGHTS =
            List.of("open_clip_model.safetensors", "open_clip_pytorch_model.bin");

    private final HubClient hub;
    private final EncoderOptions options;

    /**
     * @param hub     used for hub ids only (downloads into the standard cache, or offline lookups)
     * @param options ONNX Runtime settings of the encoders
     */
    public ClipLoader(HubClient hub, EncoderOptions options) {
        this.hub = hub;
        this.options = options;
    }

    /**
     * A checkpoint found but not yet running: its architecture, weights (owned by the caller until
     * handed to a model), tokenizer and identity. Lets a caller open only the tower it needs.
     *
     * @param config        the architecture, named by the identity's text
     * @param weights       canonical weights (Hugging Face key names, F32)
     * @param tokenizer     the matching tokenizer
     * @param modelIdentity which weights these are (the same as the {@link LoadedClip}'s)
     */
    public record Checkpoint(
            ClipConfig config, WeightSource weights, ClipTokenizer tokenizer, ModelIdentity modelIdentity) {
        /** The identity's recorded form (see {@link ModelIdentity#text()}). */
        public String identity() {
            return modelIdentity.text();
        }
    }

    /** Loads the model a {@code --model} argument names, with both encoders. */
    public LoadedClip load(String spec) {
        Checkpoint c = resolve(spec);
        return new LoadedClip(ClipModel.open(c.config(), c.weights(), options), c.tokenizer(), c.modelIdentity());
    }

    /** Finds (downloading if needed) and opens the checkpoint a {@code --model} argument names. */
    public Checkpoint resolve(String spec) {
        if (spec.startsWith(RANDOM_PREFIX)) {
            String name = spec.substring(RANDOM_PREFIX.length());
            // NAME-trained-ln: the same architecture with trained-like LayerNorm biases.
            boolean trainedLn = name.endsWith(TRAINED_LN_SUFFIX);
            if (trainedLn) {
                name = name.substring(0, name.length() - TRAINED_LN_SUFFIX.length());
            }
            ClipConfig config = ClipConfig.preset(name).withName(spec);
            return new Checkpoint(
                    config,
                    new RandomClipWeights(
                            config,
                            RANDOM_SEED,
                            trainedLn ? RandomClipWeights.LayerNorms.TRAINED : RandomClipWeights.LayerNorms.DEFAULT),
                    new ClipTokenizer(BpeVocabulary.bytesOnly()),
                    ModelIdentity.random(spec));
        }
        ModelSpec parsed = ModelSpec.parse(spec);
        if (parsed instanceof ModelSpec.Local local) {
            Path dir = local.dir().toAbsolutePath().normalize();
            return fromDirectory(dir, null);
        }
        if (parsed instanceof ModelSpec.Hub h) {
            Path snapshot = download(h);
            return fromDirectory(
                    snapshot,
                    ModelIdentity.hub(h.repoId(), snapshot.getFileName().toString()));
        }
        throw new SettingException(new SettingMessage(
                "",
                "model",
                " " + spec + ": not a local directory, a Hugging Face id (ORG/NAME[@REV])"
                        + " or random:NAME[-trained-ln] (tiny, vit-b-16, vit-b-32, vit-l-14)"));
    }

    /** A loader over the same hub client whose models are opened with {@code other} settings. */
    public ClipLoader withOptions(EncoderOptions other) {
        return new ClipLoader(hub, other);
    }

    /** The encoder settings models are opened with. */
    public EncoderOptions options() {
        return options;
    }

    // identity null: a local directory, named by the content of its weights and configuration, so
    // that a copy or a touched file is the same model and replaced weights are another one. The
    // earlier form (path and modification times) is kept so that older adapters still load.
    private Checkpoint fromDirectory(Path dir, ModelIdentity hubIdentity) {
        ModelDirectory md = ModelDirectory.find(dir);
        ModelIdentity identity =
                hubIdentity != null ? hubIdentity : ModelIdentity.local(contentDigest(md), dir, fingerprint(md));
        ModelDirectory.TokenizerFiles tf = md.tokenizer().orElseGet(() -> openAiTokenizerFor(md));
        ClipTokenizer tokenizer = tf.isHuggingFace()
                ? ClipTokenizer.fromHuggingFace(tf.vocabJson(), tf.mergesTxt())
                : ClipTokenizer.fromOpenAiVocab(tf.bpeVocabGz());
        return new Checkpoint(md.config().withName(identity.text()), md.openWeights(), tokenizer, identity);
    }

    /**
     * OpenCLIP repositories usually ship no tokenizer files (OpenCLIP bundles OpenAI's BPE), so the
     * identical vocabulary of OpenAI's own repository is fetched (or found in the cache) instead.
     */
    private ModelDirectory.TokenizerFiles openAiTokenizerFor(ModelDirectory md) {
        if (!md.configFile().getFileName().toString().equals(OPEN_CLIP_CONFIG)) {
            return md.requireTokenizer(); // throws, naming the missing files
        }
        Path dir = hub.snapshotDir(DEFAULT_MODEL, ModelSpec.DEFAULT_REVISION, HF_TOKENIZER, List.of());
        return new ModelDirectory.TokenizerFiles(dir.resolve("vocab.json"), dir.resolve("merges.txt"), null);
    }

    private Path download(ModelSpec.Hub h) {
        // transformers layout first (config.json + safetensors, or .bin as the official OpenAI repos ship on main)
        Optional<Path> config = hub.probeFile(h.repoId(), h.revision(), "config.json");
        if (config.isPresent()) {
            String weights = WEIGHT_CANDIDATES.stream()
                    .filter(w -> hub.probeFile(h.repoId(), h.revision(), w).isPresent())
                    .findFirst()
                    .orElseThrow(() -> new HubException(
                            HubException.Reason.FILE_NOT_FOUND,
                            h.repoId(),
                            null,
                            h + " has config.json but neither " + String.join(" nor ", WEIGHT_CANDIDATES)));
            return hub.snapshotDir(
                    h.repoId(), h.revision(), concat(HF_FILES, HF_TOKENIZER, List.of(weights)), List.of());
        }
        // OpenCLIP layout (e.g. timm/vit_base_patch16_clip_224.openai)
        if (hub.probeFile(h.repoId(), h.revision(), OPEN_CLIP_CONFIG).isPresent()) {
            String weights = OPEN_CLIP_WEIGHTS.stream()
                    .filter(w -> hub.probeFile(h.repoId(), h.revision(), w).isPresent())
                    .findFirst()
                    .orElseThrow(() -> new HubException(
                            HubException.Reason.FILE_NOT_FOUND,
                            h.repoId(),
                            null,
                            h + " has " + OPEN_CLIP_CONFIG + " but no OpenCLIP weights"));
            return hub.snapshotDir(
                    h.repoId(),
                    h.revision(),
                    List.of(OPEN_CLIP_CONFIG, weights),
                    concat(HF_TOKENIZER, List.of("bpe_simple_vocab_16e6.txt.gz")));
        }
        // Neither layout was found: say why when it is the connection (or offline mode), not the repo.
        try {
            hub.snapshotFile(h.repoId(), h.revision(), "config.json");
        } catch (HubException e) {
            if (e.reason() == HubException.Reason.NOT_CACHED) {
                throw new HubException(
                        HubException.Reason.NOT_CACHED,
                        h.repoId(),
                        "config.json",
                        (hub.settings().offline() ? "" : "the Hugging Face hub is unreachable: ") + e.getMessage()
                                + ". To work offline: set HF_HUB_OFFLINE=1 with a model already in the cache,"
                                + " give a local model folder (config.json + model.safetensors + tokenizer),"
                                + " or use random:tiny for a quick try",
                        e);
            }
        }
        throw new HubException(
                HubException.Reason.FILE_NOT_FOUND,
                h.repoId(),
                "config.json",
                h + " has neither config.json (transformers layout) nor " + OPEN_CLIP_CONFIG + " (OpenCLIP layout)"
                        + (hub.settings().offline() ? " in the cache (HF_HUB_OFFLINE is set)" : ""));
    }

    /** The SHA-256 (16 hex digits) of the weight files' and config's SHA-256s (cached by path, size, mtime). */
    static String contentDigest(ModelDirectory md) {
        ContentDigests digests = new ContentDigests(CacheFolders.runa("model-digests"));
        try {
            List<Path> weights = new ArrayList<>(md.weights());
            weights.sort(Comparator.comparing(p -> p.getFileName().toString()));
            StringBuilder all = new StringBuilder();
            for (Path w : weights) {
                all.append(w.getFileName())
                        .append('=')
                        .append(digests.sha256(w))
                        .append('\n');
            }
            all.append("config=").append(digests.sha256(md.configFile())).append('\n');
            return Sha256.of(all.toString()).substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + md.directory() + ": " + e.getMessage(), e);
        }
    }

    private static String fingerprint(ModelDirectory md) {
        try {
            MessageDigest sha = Sha256.newDigest();
            List<Path> files = new ArrayList<>(md.weights());
            files.add(md.configFile());
            for (Path f : files) {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                sha.update((f.getFileName() + ":" + a.size() + ":"
                                + a.lastModifiedTime().toMillis() + ";")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return Sha256.hex(sha).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + md.directory() + ": " + e.getMessage(), e);
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
