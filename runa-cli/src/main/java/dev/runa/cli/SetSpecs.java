package dev.runa.cli;

import dev.runa.eval.BenchmarkSet;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the {@code --id} / {@code --ood} values of {@code runa eval}:
 * {@code NAME:gt=JSON,images=DIR,detections=JSON} (keys in any order, all three required).
 * Paths may not contain a comma; the name may not contain a colon.
 */
final class SetSpecs {
    static final String SYNTAX = "NAME:gt=JSON,images=DIR,detections=JSON";
    private static final List<String> KEYS = List.of("gt", "images", "detections");

    private SetSpecs() {}

    static BenchmarkSet parse(String option, String spec) {
        int colon = spec.indexOf(':');
        if (colon <= 0) {
            throw bad(option, spec, "it does not start with a set name followed by ':'");
        }
        String name = spec.substring(0, colon).strip();
        Map<String, String> values = new LinkedHashMap<>();
        for (String part : spec.substring(colon + 1).split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw bad(option, spec, "'" + part + "' is not KEY=VALUE");
            }
            String key = part.substring(0, eq).strip();
            String value = part.substring(eq + 1).strip();
            if (!KEYS.contains(key)) {
                throw bad(option, spec, "unknown key '" + key + "' (known: " + String.join(", ", KEYS) + ")");
            }
            if (value.isEmpty()) {
                throw bad(option, spec, "'" + key + "' has no value");
            }
            if (values.put(key, value) != null) {
                throw bad(option, spec, "'" + key + "' is given twice");
            }
        }
        for (String k : KEYS) {
            if (!values.containsKey(k)) {
                throw bad(option, spec, "'" + k + "=' is missing");
            }
        }
        return new BenchmarkSet(
                name, Path.of(values.get("gt")), Path.of(values.get("images")), Path.of(values.get("detections")));
    }

    private static IllegalArgumentException bad(String option, String spec, String problem) {
        return new IllegalArgumentException(option + " '" + spec + "': " + problem + "; expected " + SYNTAX);
    }
}
