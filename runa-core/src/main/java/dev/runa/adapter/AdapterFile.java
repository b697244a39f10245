package dev.runa.adapter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.runa.clip.checkpoint.CheckpointException;
import dev.runa.clip.checkpoint.SafetensorsFile;
import dev.runa.clip.checkpoint.SafetensorsWriter;
import dev.runa.io.Sha256;
import dev.runa.ood.FusionMode;
import dev.runa.ood.Projection;
import dev.runa.tensor.DType;
import dev.runa.tensor.TensorView;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads and writes adapter files: a safetensors file holding the fine-tuned projection as
 * {@value #TENSOR} ({@code [P, D]}, F32, the Hugging Face {@code visual_projection} layout) and its
 * {@link AdapterProvenance} as {@code __metadata__} strings (keys below, numbers in Java's
 * round-trip decimal form, {@code classes} as a JSON array, {@code created} as ISO-8601).
 * Writing is atomic (temporary sibling, then move).
 *
 * <p>Format version {@value #VERSION}; a reader refuses files of a newer version rather than misread them.
 */
public final class AdapterFile {
    /** Value of the {@code format} metadata entry. */
    public static final String FORMAT = "runa-adapter";
    /** Current format version. */
    public static final int VERSION = 1;
    /** Name of the projection tensor. */
    public static final String TENSOR = "visual_projection.weight";

    static final String K_FORMAT = "format";
    static final String K_VERSION = "format_version";
    static final String K_BASE_MODEL = "base_model";
    static final String K_BASE_REVISION = "base_revision";
    static final String K_CLASSES = "classes";
    static final String K_TEMPLATE = "prompt_template";
    static final String K_LAMBDA = "lambda";
    static final String K_FUSION = "fusion";
    static final String K_VIEWS = "views";
    static final String K_SHOTS = "shots";
    static final String K_SEED = "seed";
    static final String K_EPOCHS = "epochs";
    static final String K_LR = "learning_rate";
    static final String K_FINAL_LOSS = "final_loss";
    static final String K_CREATED = "created";

    private static final ObjectMapper JSON = new ObjectMapper();

    private AdapterFile() {}

    /**
     * Writes {@code adapter} to {@code target}, replacing it atomically.
     *
     * @throws IllegalArgumentException when the projection holds NaN or infinite weights (a diverged training)
     */
    public static void write(Path target, Adapter adapter) throws IOException {
        Projection proj = adapter.projection();
        float[] w = proj.weight();
        for (int i = 0; i < w.length; i++) {
            if (!Float.isFinite(w[i])) {
                throw new IllegalArgumentException("adapter projection weight " + i + " (row " + i / proj.inDim()
                        + ", column " + i % proj.inDim() + ") is " + w[i] + "; refusing to save a diverged projection");
            }
        }
        new SafetensorsWriter()
                .metadata(metadata(adapter.provenance()))
                .addF32(TENSOR, new long[] {proj.outDim(), proj.inDim()}, w)
                .write(target);
    }

    /** The provenance as the metadata entries written to the file. */
    static Map<String, String> metadata(AdapterProvenance p) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(K_FORMAT, FORMAT);
        m.put(K_VERSION, Integer.toString(VERSION));
        m.put(K_BASE_MODEL, p.baseModel());
        m.put(K_BASE_REVISION, p.baseRevision());
        try {
            m.put(K_CLASSES, JSON.writeValueAsString(p.classes()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise class list", e);
        }
        m.put(K_TEMPLATE, p.promptTemplate());
        m.put(K_LAMBDA, Double.toString(p.lambda()));
        m.put(K_FUSION, p.fusion().name().toLowerCase(Locale.ROOT));
        m.put(K_VIEWS, p.views());
        m.put(K_SHOTS, Shots.format(p.shots()));
        m.put(K_SEED, Long.toString(p.seed()));
        m.put(K_EPOCHS, Integer.toString(p.epochs()));
        m.put(K_LR, Double.toString(p.learningRate()));
        m.put(K_FINAL_LOSS, Double.toString(p.finalLoss()));
        m.put(K_CREATED, p.created().toString());
        return m;
    }

    /**
     * Reads an adapter file.
     *
     * @throws AdapterFormatException naming the file and the field when it is not a safetensors file,
     *                                lacks the adapter metadata, is of a newer version, or its tensor is missing or misshapen
     */
    /**
     * What names an adapter file in calibrations, resumable outputs and reports: {@code sha256:} and
     * the digest of its bytes, so that a renamed copy is the same adapter and an edited one is not.
     */
    public static String identityOf(Path file) throws IOException {
        return "sha256:" + Sha256.of(file);
    }

    public static Adapter read(Path file) throws IOException {
        if (!java.nio.file.Files.exists(file)) {
            throw new java.nio.file.NoSuchFileException(file.toString(), null, "adapter file not found");
        }
        SafetensorsFile st;
        try {
            st = SafetensorsFile.open(file);
        } catch (CheckpointException e) {
            throw new AdapterFormatException(file + ": not a readable adapter: " + e.getMessage(), e);
        }
        try {
            Fields f = new Fields(file, st.metadata());
            String format = st.metadata().get(K_FORMAT);
            if (!FORMAT.equals(format)) {
                throw new AdapterFormatException(file + ": not a runa adapter (metadata field '" + K_FORMAT + "' is "
                        + (format == null ? "missing" : "'" + format + "'") + ", expected '" + FORMAT + "')");
            }
            int version = f.integer(K_VERSION);
            if (version < 1 || version > VERSION) {
                throw new AdapterFormatException(file + ": metadata field '" + K_VERSION + "' is " + version
                        + "; this runa reads adapter versions 1 to " + VERSION
                        + (version > VERSION ? " (written by a newer runa?)" : ""));
            }
            AdapterProvenance provenance;
            try {
                provenance = new AdapterProvenance(
                        f.text(K_BASE_MODEL),
                        f.text(K_BASE_REVISION),
                        f.classes(),
                        f.text(K_TEMPLATE),
                        f.number(K_LAMBDA),
                        f.fusion(),
                        f.text(K_VIEWS),
                        f.shots(),
                        f.longValue(K_SEED),
                        f.integer(K_EPOCHS),
                        f.number(K_LR),
                        f.number(K_FINAL_LOSS),
                        f.instant());
            } catch (IllegalArgumentException e) {
                throw new AdapterFormatException(file + ": invalid adapter metadata: " + e.getMessage(), e);
            }
            return new Adapter(projection(file, st), provenance);
        } finally {
            st.close();
        }
    }

    private static Projection projection(Path file, SafetensorsFile st) throws AdapterFormatException {
        if (!st.names().contains(TENSOR)) {
            throw new AdapterFormatException(
                    file + ": no tensor '" + TENSOR + "' (tensors present: " + st.names() + ")");
        }
        TensorView t = st.tensor(TENSOR);
        long[] shape = t.shape();
        if (t.dtype() != DType.F32) {
            throw new AdapterFormatException(file + ": tensor '" + TENSOR + "' is " + t.dtype() + ", expected F32");
        }
        if (shape.length != 2 || shape[0] <= 0 || shape[1] <= 0) {
            throw new AdapterFormatException(file + ": tensor '" + TENSOR + "' has shape " + Arrays.toString(shape)
                    + ", expected [P, D] with P, D > 0");
        }
        FloatBuffer fb = t.asFloats();
        float[] w = new float[fb.remaining()];
        fb.get(w);
        for (int i = 0; i < w.length; i++) {
            if (!Float.isFinite(w[i])) {
                throw new AdapterFormatException(file + ": tensor '" + TENSOR + "' value " + i + " is " + w[i]);
            }
        }
        return new Projection(w, Math.toIntExact(shape[0]), Math.toIntExact(shape[1]));
    }

    /** Typed metadata access with errors naming the file and the field. */
    private record Fields(Path file, Map<String, String> m) {
        AdapterFormatException error(String key, String problem) {
            return new AdapterFormatException(file + ": metadata field '" + key + "' " + problem);
        }

        String text(String key) throws AdapterFormatException {
            String v = m.get(key);
            if (v == null) {
                throw error(key, "is missing");
            }
            return v;
        }

        int integer(String key) throws AdapterFormatException {
            long v = longValue(key);
            if (v != (int) v) {
                throw error(key, "is " + v + ", out of range");
            }
            return (int) v;
        }

        long longValue(String key) throws AdapterFormatException {
            String v = text(key);
            try {
                return Long.parseLong(v.trim());
            } catch (NumberFormatException e) {
                throw error(key, "is '" + v + "', not an integer");
            }
        }

        double number(String key) throws AdapterFormatException {
            String v = text(key);
            try {
                double d = Double.parseDouble(v.trim());
                if (!Double.isFinite(d)) {
                    throw new NumberFormatException();
                }
                return d;
            } catch (NumberFormatException e) {
                throw error(key, "is '" + v + "', not a finite number");
            }
        }

        int shots() throws AdapterFormatException {
            String v = text(K_SHOTS);
            try {
                return Shots.parse(v);
            } catch (IllegalArgumentException e) {
                throw error(K_SHOTS, "is '" + v + "', not a number >= 0 or 'all'");
            }
        }

        FusionMode fusion() throws AdapterFormatException {
            String v = text(K_FUSION);
            try {
                return FusionMode.valueOf(v.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw error(K_FUSION, "is '" + v + "', expected 'early' or 'late'");
            }
        }

        Instant instant() throws AdapterFormatException {
            String v = text(K_CREATED);
            try {
                return Instant.parse(v.trim());
            } catch (DateTimeParseException e) {
                throw error(K_CREATED, "is '" + v + "', not an ISO-8601 instant");
            }
        }

        List<String> classes() throws AdapterFormatException {
            String v = text(K_CLASSES);
            JsonNode n;
            try {
                n = JSON.readTree(v);
            } catch (JsonProcessingException e) {
                throw error(K_CLASSES, "is not a JSON array of strings: " + e.getOriginalMessage());
            }
            if (n == null || !n.isArray() || n.isEmpty()) {
                throw error(K_CLASSES, "is not a non-empty JSON array of strings");
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                if (!n.get(i).isTextual()) {
                    throw error(K_CLASSES, "entry " + i + " is " + n.get(i) + ", not a string");
                }
                out.add(n.get(i).textValue());
            }
            return out;
        }
    }
}
