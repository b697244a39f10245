package dev.runa.eval;

import dev.runa.adapter.Adapter;
import dev.runa.adapter.AdapterFile;
import dev.runa.clip.ModelIdentity;
import dev.runa.ood.Projection;
import dev.runa.settings.SettingMessage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Consumer;

/**
 * The adapters one evaluation compares: each file read and checked against the model and classes,
 * its shots resolved (given, else recorded, else none: the "all-shot" series), a unique label
 * ({@code 5-shot}, and the file name when two share one), and the report's description of each.
 * Not thread-safe; one instance per evaluation.
 */
public final class EvalAdapters {
    private final ModelIdentity modelIdentity;
    private final List<String> promptLabels;
    private final Projection pretrained;
    private final Consumer<SettingMessage> warnings;
    private final List<EvalAdapter> adapters = new ArrayList<>();
    private final List<Map<String, Object>> report = new ArrayList<>();

    /**
     * @param modelIdentity the evaluated model's identity, which every adapter must have been trained on
     * @param promptLabels  the evaluated classes, which every adapter must have been trained for
     * @param pretrained    the model's own projection, whose shape every adapter must have
     * @param warnings      receives warnings that name a setting (given shots that differ from the file's)
     */
    public EvalAdapters(
            ModelIdentity modelIdentity,
            List<String> promptLabels,
            Projection pretrained,
            Consumer<SettingMessage> warnings) {
        this.modelIdentity = modelIdentity;
        this.promptLabels = List.copyOf(promptLabels);
        this.pretrained = pretrained;
        this.warnings = warnings;
    }

    /**
     * Reads one adapter file.
     *
     * @param file       the adapter file
     * @param givenShots shots the caller says it was trained with, or null to use the recorded ones
     */
    public EvalAdapter add(Path file, Integer givenShots) throws IOException {
        Adapter a = AdapterFile.read(file);
        a.requireCompatible(modelIdentity, promptLabels);
        a.requireShape(pretrained.outDim(), pretrained.inDim());
        int recorded = a.provenance().shots();
        OptionalInt shots = givenShots != null
                ? OptionalInt.of(givenShots)
                : recorded >= 0 ? OptionalInt.of(recorded) : OptionalInt.empty();
        if (givenShots != null && recorded >= 0 && givenShots != recorded) {
            warnings.accept(new SettingMessage(
                    String.format(Locale.ROOT, "%s records %d shots, ", file, recorded),
                    "adapter",
                    String.format(Locale.ROOT, " says %d; using %d", givenShots, givenShots)));
        }
        String label = shots.isPresent() ? shots.getAsInt() + "-shot" : "all-shot";
        for (EvalAdapter e : adapters) {
            if (e.label().equals(label)) {
                label = label + " (" + file.getFileName() + ")";
            }
        }
        String identity = AdapterFile.identityOf(file);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("label", label);
        m.put("file", file.toString());
        m.put("identity", identity);
        m.put("shots", shots.isPresent() ? shots.getAsInt() : null);
        m.put("trained_lambda", a.provenance().lambda());
        m.put("seed", a.provenance().seed());
        report.add(m);
        EvalAdapter adapter = new EvalAdapter(label, a.projection(), identity, shots);
        adapters.add(adapter);
        return adapter;
    }

    /** The adapters read so far, in order. */
    public List<EvalAdapter> adapters() {
        return List.copyOf(adapters);
    }

    /** The report's {@code adapters} entry: one map per adapter, in order. */
    public List<Map<String, Object>> reportEntries() {
        return Collections.unmodifiableList(report);
    }
}
