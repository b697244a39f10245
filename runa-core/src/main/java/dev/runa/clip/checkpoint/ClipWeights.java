package dev.runa.clip.checkpoint;

import dev.runa.clip.ClipConfig;
import dev.runa.tensor.DType;
import dev.runa.tensor.Float16;
import dev.runa.tensor.TensorView;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A CLIP checkpoint presented under the canonical Hugging Face names of {@link ClipKeys}, every
 * tensor F32, every shape checked against the {@link ClipConfig}.
 *
 * <p>Accepted inputs: Hugging Face {@code CLIPModel} names and OpenAI/OpenCLIP names
 * ({@code visual.conv1.weight}, {@code transformer.resblocks.N.attn.in_proj_weight}, ...), with
 * any leading prefix ({@code model.}, {@code module.}, {@code state_dict.}) located from where
 * {@code logit_scale} lives. F32 tensors are handed out zero-copy; F16/BF16/F64 are converted once
 * into direct buffers; OpenAI's stacked {@code in_proj} is sliced into q/k/v views and its
 * projections are transposed into new direct buffers. Other tensors ({@code *.position_ids}
 * buffers, {@code input_resolution}, ...) are ignored and listed in {@link #ignoredNames()}.
 *
 * <p>Owns the raw source: {@link #close()} closes it.
 */
public final class ClipWeights implements WeightSource {

    /** The naming scheme of the raw checkpoint. */
    public enum Layout {
        /** Hugging Face {@code transformers} {@code CLIPModel}. */
        HUGGING_FACE,
        /** OpenAI's {@code clip} package and OpenCLIP. */
        OPENAI
    }

    private static final Pattern OPENAI_BLOCK = Pattern.compile("^(visual\\.)?transformer\\.resblocks\\.(\\d+)\\.");

    private final WeightSource raw;
    private final ClipConfig config;
    private final Layout layout;
    private final Map<String, TensorView> tensors;
    private final Set<String> ignored;

    private ClipWeights(
            WeightSource raw, ClipConfig config, Layout layout, Map<String, TensorView> tensors, Set<String> ignored) {
        this.raw = raw;
        this.config = config;
        this.layout = layout;
        this.tensors = Collections.unmodifiableMap(tensors);
        this.ignored = Collections.unmodifiableSet(ignored);
    }

    /**
     * Opens checkpoint files ({@code .safetensors}; anything else is read as a {@code torch.save}
     * archive) and maps them for {@code config}. Several files are treated as shards of one checkpoint.
     */
    public static ClipWeights open(ClipConfig config, List<Path> files) {
        return of(config, openRaw(files));
    }

    /** Opens checkpoint files as they are (raw names), several files as shards. */
    public static WeightSource openRaw(List<Path> files) {
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no checkpoint files given");
        }
        List<WeightSource> opened = new ArrayList<>();
        try {
            for (Path f : files) {
                String n = f.getFileName().toString().toLowerCase(Locale.ROOT);
                opened.add(n.endsWith(".safetensors") ? SafetensorsFile.open(f) : TorchCheckpointFile.open(f));
            }
        } catch (RuntimeException e) {
            opened.forEach(WeightSource::close);
            throw e;
        }
        return opened.size() == 1 ? opened.get(0) : new ShardedWeightSource(opened);
    }

    /**
     * Maps and validates a raw source, taking ownership of it (closed on failure too).
     *
     * @throws CheckpointException naming the source, the key and the expected/actual shape when a
     *                             required tensor is missing or misshapen
     */
    public static ClipWeights of(ClipConfig config, WeightSource raw) {
        try {
            Map<String, String> names = stripPrefix(raw);
            Layout layout = detectLayout(raw, names);
            Map<String, TensorView> out = new LinkedHashMap<>();
            Set<String> used = new TreeSet<>();
            for (ClipKeys.Key key : ClipKeys.all(config)) {
                TensorView t = layout == Layout.HUGGING_FACE
                        ? fromHuggingFace(raw, names, key, used)
                        : fromOpenAi(raw, names, key, used);
                out.put(key.name(), t);
            }
            Set<String> ignored = new TreeSet<>(names.values());
            ignored.removeAll(used);
            refuseUnusedTowerWeights(raw, names, used);
            for (TensorView t : out.values()) {
                refuseNonFinite(raw, t);
            }
            return new ClipWeights(raw, config, layout, out, ignored);
        } catch (RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /**
     * A tensor under the vision or text tower that the configured architecture does not use (e.g. a
     * 13th layer when config.json says 12) means the configuration does not describe these weights:
     * loading them anyway would silently give another model's scores. Buffers that carry no weights
     * ({@code position_ids}) are fine.
     */
    private static void refuseUnusedTowerWeights(WeightSource raw, Map<String, String> names, Set<String> used) {
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(names).entrySet()) {
            String n = e.getKey();
            boolean tower = n.startsWith("vision_model.")
                    || n.startsWith("text_model.")
                    || n.startsWith("visual.")
                    || n.startsWith("transformer.");
            if (tower && !used.contains(e.getValue()) && !n.endsWith("position_ids")) {
                throw new CheckpointException(raw.description() + ": tensor '" + e.getValue()
                        + "' is not part of the configured architecture (more layers or other modules than the"
                        + " configuration describes?); check that the configuration belongs to these weights");
            }
        }
    }

    /** NaN or infinite weights make every score NaN; refuse them, naming the tensor. */
    private static void refuseNonFinite(WeightSource raw, TensorView t) {
        java.nio.FloatBuffer f =
                t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer();
        int n = f.remaining();
        for (int i = 0; i < n; i++) {
            float v = f.get(i);
            if (v - v != 0) { // NaN or infinite (x - x is NaN exactly for those)
                throw new CheckpointException(raw.description() + ": tensor '" + t.name()
                        + "' holds a non-finite value (" + v + " at flat index " + i
                        + "); the checkpoint is damaged or was saved after training diverged");
            }
        }
    }

    /** The architecture the weights were validated against. */
    public ClipConfig config() {
        return config;
    }

    /** The naming scheme found in the raw checkpoint. */
    public Layout layout() {
        return layout;
    }

    /** Raw names present in the checkpoint but not needed (position_ids buffers and the like). */
    public Set<String> ignoredNames() {
        return ignored;
    }

    @Override
    public String description() {
        return raw.description();
    }

    @Override
    public Set<String> names() {
        return tensors.keySet();
    }

    @Override
    public TensorView tensor(String name) {
        TensorView t = tensors.get(name);
        if (t == null) {
            throw new CheckpointException(description() + ": no canonical tensor named '" + name + "'");
        }
        return t;
    }

    @Override
    public void close() {
        raw.close();
    }

    // ---- name handling ----

    /** Stripped name -> raw name, keeping only names under the prefix that holds {@code logit_scale}. */
    static Map<String, String> stripPrefix(WeightSource raw) {
        Set<String> prefixes = new TreeSet<>();
        for (String n : raw.names()) {
            if (n.equals(ClipKeys.LOGIT_SCALE) || n.endsWith("." + ClipKeys.LOGIT_SCALE)) {
                prefixes.add(n.substring(0, n.length() - ClipKeys.LOGIT_SCALE.length()));
            }
        }
        if (prefixes.isEmpty()) {
            throw new CheckpointException(raw.description() + ": no 'logit_scale' tensor; not a full CLIP checkpoint "
                    + "(found " + sample(raw.names()) + ")");
        }
        if (prefixes.size() > 1) {
            throw new CheckpointException(
                    raw.description() + ": several models in one checkpoint (logit_scale under " + prefixes + ")");
        }
        String prefix = prefixes.iterator().next();
        Map<String, String> names = new LinkedHashMap<>();
        for (String n : raw.names()) {
            if (n.startsWith(prefix)) {
                names.put(n.substring(prefix.length()), n);
            }
        }
        return names;
    }

    private static Layout detectLayout(WeightSource raw, Map<String, String> names) {
        if (names.containsKey("vision_model.embeddings.patch_embedding.weight")
                || names.containsKey("text_model.embeddings.token_embedding.weight")) {
            return Layout.HUGGING_FACE;
        }
        if (names.containsKey("visual.conv1.weight") || names.containsKey("token_embedding.weight")) {
            return Layout.OPENAI;
        }
        throw new CheckpointException(
                raw.description() + ": neither Hugging Face (vision_model.*) nor OpenAI (visual.conv1.weight) "
                        + "CLIP names (found " + sample(names.keySet()) + ")");
    }

    private static String sample(Set<String> names) {
        List<String> l = new ArrayList<>(new TreeSet<>(names));
        return l.size() <= 6 ? l.toString() : l.subList(0, 6) + " and " + (l.size() - 6) + " more";
    }

    private static TensorView fromHuggingFace(
            WeightSource raw, Map<String, String> names, ClipKeys.Key key, Set<String> used) {
        TensorView t = rawTensor(raw, names, key.name(), key.name(), used);
        checkShape(raw, key.name(), key.name(), t.shape(), key.shape());
        return toF32(raw, key.name(), t);
    }

    /** Where an HF tensor comes from in an OpenAI checkpoint, and how it is derived. */
    private enum Derivation {
        SAME,
        TRANSPOSE,
        Q,
        K,
        V
    }

    private static TensorView fromOpenAi(
            WeightSource raw, Map<String, String> names, ClipKeys.Key key, Set<String> used) {
        String hf = key.name();
        String oa;
        Derivation how = Derivation.SAME;
        long[] expect = key.shape();
        if (hf.equals(ClipKeys.VISUAL_PROJECTION)) {
            oa = "visual.proj";
            how = Derivation.TRANSPOSE;
        } else if (hf.equals(ClipKeys.TEXT_PROJECTION)) {
            oa = "text_projection";
            how = Derivation.TRANSPOSE;
        } else if (hf.equals(ClipKeys.LOGIT_SCALE)) {
            oa = hf;
        } else {
            String tower = hf.startsWith("vision_model.") ? "visual." : "";
            String rest = hf.substring(hf.indexOf('.') + 1);
            Matcher m = Pattern.compile("^encoder\\.layers\\.(\\d+)\\.(.*)$").matcher(rest);
            if (m.matches()) {
                String block = tower + "transformer.resblocks." + m.group(1) + ".";
                String part = m.group(2);
                Matcher qkv = Pattern.compile("^self_attn\\.([qkv])_proj\\.(weight|bias)$")
                        .matcher(part);
                if (qkv.matches()) {
                    oa = block + "attn.in_proj_" + qkv.group(2);
                    how = Derivation.valueOf(qkv.group(1).toUpperCase(Locale.ROOT));
                } else {
                    oa = block
                            + part.replace("self_attn.out_proj", "attn.out_proj")
                                    .replace("layer_norm1", "ln_1")
                                    .replace("layer_norm2", "ln_2")
                                    .replace("mlp.fc1", "mlp.c_fc")
                                    .replace("mlp.fc2", "mlp.c_proj");
                }
            } else {
                oa = tower
                        + switch (rest) {
                            case "embeddings.class_embedding" -> "class_embedding";
                            case "embeddings.patch_embedding.weight" -> "conv1.weight";
                            case "embeddings.position_embedding.weight" -> "positional_embedding";
                            case "embeddings.token_embedding.weight" -> "token_embedding.weight";
                            case "pre_layrnorm.weight" -> "ln_pre.weight";
                            case "pre_layrnorm.bias" -> "ln_pre.bias";
                            case "post_layernorm.weight" -> "ln_post.weight";
                            case "post_layernorm.bias" -> "ln_post.bias";
                            case "final_layer_norm.weight" -> "ln_final.weight";
                            case "final_layer_norm.bias" -> "ln_final.bias";
                            default -> throw new IllegalStateException("no OpenAI name for " + hf);
                        };
            }
        }
        TensorView t = rawTensor(raw, names, oa, hf, used);
        long[] rawExpect = switch (how) {
            case SAME -> expect;
            case TRANSPOSE -> new long[] {expect[1], expect[0]};
            case Q, K, V -> stacked(expect);
        };
        checkShape(raw, oa, hf, t.shape(), rawExpect);
        TensorView f = toF32(raw, hf, t);
        return switch (how) {
            case SAME -> f;
            case TRANSPOSE -> transpose(hf, f);
            case Q, K, V -> {
                int part = how.ordinal() - Derivation.Q.ordinal();
                int bytes = Math.toIntExact(f.data().remaining() / 3);
                yield new TensorView(hf, DType.F32, expect, f.data().slice(part * bytes, bytes));
            }
        };
    }

    private static long[] stacked(long[] shape) {
        long[] s = shape.clone();
        s[0] *= 3;
        return s;
    }

    private static TensorView rawTensor(
            WeightSource raw, Map<String, String> names, String name, String canonical, Set<String> used) {
        String rawName = names.get(name);
        if (rawName == null) {
            throw new CheckpointException(raw.description() + ": missing tensor '" + name + "'"
                    + (name.equals(canonical) ? "" : " (for " + canonical + ")"));
        }
        used.add(rawName);
        return raw.tensor(rawName);
    }

    private static void checkShape(WeightSource raw, String rawName, String canonical, long[] actual, long[] expected) {
        if (!Arrays.equals(actual, expected)) {
            throw new CheckpointException(raw.description() + ": tensor '" + rawName + "'"
                    + (rawName.equals(canonical) ? "" : " (for " + canonical + ")") + " has shape "
                    + Arrays.toString(actual)
                    + ", the configuration implies " + Arrays.toString(expected));
        }
    }

    /** The tensor as F32 under its canonical name: the same memory for F32, a converted direct copy otherwise. */
    static TensorView toF32(WeightSource raw, String canonical, TensorView t) {
        if (t.dtype() == DType.F32) {
            return new TensorView(canonical, DType.F32, t.shape(), t.data());
        }
        if (!t.dtype().isFloatingPoint()) {
            throw new CheckpointException(raw.description() + ": tensor for '" + canonical + "' has dtype " + t.dtype()
                    + ", expected a floating point type");
        }
        int n = Math.toIntExact(t.numel());
        ByteBuffer out = ByteBuffer.allocateDirect(n * 4).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer src = t.data();
        for (int i = 0; i < n; i++) {
            float v = switch (t.dtype()) {
                case F16 -> Float16.toFloat(src.getShort(i * 2));
                case BF16 -> Float.intBitsToFloat((src.getShort(i * 2) & 0xFFFF) << 16);
                default -> (float) src.getDouble(i * 8);
            };
            out.putFloat(i * 4, v);
        }
        return new TensorView(canonical, DType.F32, t.shape(), out);
    }

    private static TensorView transpose(String canonical, TensorView f) {
        long[] s = f.shape();
        int rows = Math.toIntExact(s[0]);
        int cols = Math.toIntExact(s[1]);
        FloatBuffer in = f.data().asFloatBuffer();
        ByteBuffer out = ByteBuffer.allocateDirect(rows * cols * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                out.putFloat((c * rows + r) * 4, in.get(r * cols + c));
            }
        }
        return new TensorView(canonical, DType.F32, new long[] {cols, rows}, out);
    }

    // ---- configuration inference ----

    /**
     * Infers the architecture of an OpenAI-layout checkpoint from its shapes, as OpenAI's
     * {@code clip.model.build_model} does. Best effort: the number of attention heads is not
     * stored in the weights and is taken as {@code width / 64} (true for every released OpenAI and
     * OpenCLIP ViT); LayerNorm epsilon is 1e-5.
     *
     * @throws CheckpointException when the checkpoint is not an OpenAI-layout ViT CLIP
     */
    public static ClipConfig inferOpenAiConfig(WeightSource raw, String name) {
        Map<String, String> names = stripPrefix(raw);
        if (detectLayout(raw, names) != Layout.OPENAI) {
            throw new CheckpointException(raw.description() + ": not an OpenAI-layout checkpoint; use its config.json");
        }
        long[] conv = shape(raw, names, "visual.conv1.weight", 4);
        long[] vpos = shape(raw, names, "visual.positional_embedding", 2);
        int vWidth = Math.toIntExact(conv[0]);
        int patch = Math.toIntExact(conv[2]);
        int grid = (int) Math.round(Math.sqrt(vpos[0] - 1));
        if ((long) grid * grid + 1 != vpos[0]) {
            throw new CheckpointException(raw.description() + ": visual.positional_embedding has " + vpos[0]
                    + " positions, not a square grid plus a class token");
        }
        int vLayers = countBlocks(names, true);
        int vInter = Math.toIntExact(shape(raw, names, "visual.transformer.resblocks.0.mlp.c_fc.weight", 2)[0]);
        long[] tok = shape(raw, names, "token_embedding.weight", 2);
        long[] tpos = shape(raw, names, "positional_embedding", 2);
        int tWidth = Math.toIntExact(shape(raw, names, "ln_final.weight", 1)[0]);
        int tLayers = countBlocks(names, false);
        int tInter = Math.toIntExact(shape(raw, names, "transformer.resblocks.0.mlp.c_fc.weight", 2)[0]);
        int proj = Math.toIntExact(shape(raw, names, "text_projection", 2)[1]);
        try {
            return new ClipConfig(
                    new ClipConfig.Vision(grid * patch, patch, vWidth, vLayers, Math.max(1, vWidth / 64), vInter, 1e-5),
                    new ClipConfig.Text(
                            Math.toIntExact(tok[0]),
                            Math.toIntExact(tpos[0]),
                            tWidth,
                            tLayers,
                            Math.max(1, tWidth / 64),
                            tInter,
                            1e-5),
                    proj,
                    name);
        } catch (IllegalArgumentException e) {
            throw new CheckpointException(
                    raw.description() + ": inferred an invalid architecture: " + e.getMessage(), e);
        }
    }

    private static long[] shape(WeightSource raw, Map<String, String> names, String name, int rank) {
        String r = names.get(name);
        if (r == null) {
            throw new CheckpointException(raw.description() + ": missing tensor '" + name + "'");
        }
        long[] s = raw.tensor(r).shape();
        if (s.length != rank) {
            throw new CheckpointException(raw.description() + ": tensor '" + name + "' has shape " + Arrays.toString(s)
                    + ", expected rank " + rank);
        }
        return s;
    }

    private static int countBlocks(Map<String, String> names, boolean visual) {
        int max = -1;
        for (String n : names.keySet()) {
            Matcher m = OPENAI_BLOCK.matcher(n);
            if (m.find() && (m.group(1) != null) == visual) {
                max = Math.max(max, Integer.parseInt(m.group(2)));
            }
        }
        return max + 1;
    }
}
