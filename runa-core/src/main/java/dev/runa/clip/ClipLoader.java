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
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Turns a {@code --model} argument into a {@link LoadedClip}: a Hugging Face id
 * ({@code openai/clip-vit-base-patch16}, optionally {@code @REVISION}), a local checkpoint
 * directory, or {@code random:NAME} (seeded random weights of a preset architecture, with a
 * byte-level tokenizer). The one place that knows these sources.
 */
public final class ClipLoader {
    /** The design doc's default backbone. */
    public static final String DEFAULT_MODEL = "openai/clip-vit-base-patch16";

    private static final String RANDOM_PREFIX = "random:";
    /** Seed of {@code random:NAME} weights: fixed, so that every run sees the same model. */
    private static final long RANDOM_SEED = 0;

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
     * @param config    the architecture, named by {@code identity}
     * @param weights   canonical weights (Hugging Face key names, F32)
     * @param tokenizer the matching tokenizer
     * @param identity  see {@link LoadedClip#identity()}
     */
    public record Checkpoint(
            ClipConfig config, WeightSource weights, ClipTokenizer tokenizer, String identity, String legacyIdentity) {
        /** A checkpoint with no earlier identity form. */
        public Checkpoint(ClipConfig config, WeightSource weights, ClipTokenizer tokenizer, String identity) {
            this(config, weights, tokenizer, identity, null);
        }
    }

    /** Loads the model a {@code --model} argument names, with both encoders. */
    public LoadedClip load(String spec) {
        Checkpoint c = resolve(spec);
        return new LoadedClip(
                ClipModel.open(c.config(), c.weights(), options), c.tokenizer(), c.identity(), c.legacyIdentity());
    }

    /** Finds (downloading if needed) and opens the checkpoint a {@code --model} argument names. */
    public Checkpoint resolve(String spec) {
        if (spec.startsWith(RANDOM_PREFIX)) {
            ClipConfig config =
                    ClipConfig.preset(spec.substring(RANDOM_PREFIX.length())).withName(spec);
            return new Checkpoint(
                    config,
                    new RandomClipWeights(config, RANDOM_SEED),
                    new ClipTokenizer(BpeVocabulary.bytesOnly()),
                    spec);
        }
        ModelSpec parsed = ModelSpec.parse(spec);
        if (parsed instanceof ModelSpec.Local local) {
            Path dir = local.dir().toAbsolutePath().normalize();
            return fromDirectory(dir, null);
        }
        if (parsed instanceof ModelSpec.Hub h) {
            Path snapshot = download(h);
            return fromDirectory(snapshot, h.repoId() + "@" + snapshot.getFileName());
        }
        throw new IllegalArgumentException(
                "--model " + spec + ": not a local directory, a Hugging Face id (ORG/NAME[@REV])"
                        + " or random:NAME (tiny, vit-b-16, vit-b-32, vit-l-14)");
    }

    /** The encoder settings models are opened with. */
    public EncoderOptions options() {
        return options;
    }

    // identity null: a local directory, named by the content of its weights and configuration, so
    // that a copy or a touched file is the same model and replaced weights are another one. The
    // earlier form (path and modification times) is kept so that older adapters still load.
    private Checkpoint fromDirectory(Path dir, String hubIdentity) {
        ModelDirectory md = ModelDirectory.find(dir);
        String identity = hubIdentity != null ? hubIdentity : contentIdentity(md);
        String legacy = hubIdentity != null ? null : dir + "#" + fingerprint(md);
        ModelDirectory.TokenizerFiles tf = md.tokenizer().orElseGet(() -> openAiTokenizerFor(md));
        ClipTokenizer tokenizer = tf.isHuggingFace()
                ? ClipTokenizer.fromHuggingFace(tf.vocabJson(), tf.mergesTxt())
                : ClipTokenizer.fromOpenAiVocab(tf.bpeVocabGz());
        return new Checkpoint(md.config().withName(identity), md.openWeights(), tokenizer, identity, legacy);
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

    /** {@code local:sha256:HEX}: the weight files' and config's SHA-256 (cached by path, size, mtime). */
    static String contentIdentity(ModelDirectory md) {
        ContentDigests digests = new ContentDigests(CacheFolders.runa("model-digests"));
        try {
            List<Path> weights = new ArrayList<>(md.weights());
            weights.sort(java.util.Comparator.comparing(p -> p.getFileName().toString()));
            StringBuilder all = new StringBuilder();
            for (Path w : weights) {
                all.append(w.getFileName())
                        .append('=')
                        .append(digests.sha256(w))
                        .append('\n');
            }
            all.append("config=").append(digests.sha256(md.configFile())).append('\n');
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            return "local:sha256:"
                    + HexFormat.of()
                            .formatHex(sha.digest(all.toString().getBytes(StandardCharsets.UTF_8)))
                            .substring(0, 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + md.directory() + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    private static String fingerprint(ModelDirectory md) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            List<Path> files = new ArrayList<>(md.weights());
            files.add(md.configFile());
            for (Path f : files) {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                sha.update((f.getFileName() + ":" + a.size() + ":"
                                + a.lastModifiedTime().toMillis() + ";")
                        .getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + md.directory() + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    @SafeVarargs
    private static List<String> concat(List<String>... lists) {
        return Arrays.stream(lists).flatMap(List::stream).toList();
    }
}
