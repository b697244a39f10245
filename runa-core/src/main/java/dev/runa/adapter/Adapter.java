package dev.runa.adapter;

import dev.runa.clip.ModelIdentity;
import dev.runa.ood.Projection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A fine-tuned image projection together with its provenance, as stored in an adapter file
 * ({@link AdapterFile}). Immutable.
 *
 * @param projection the fine-tuned {@code visual_projection}, {@code [P, D]}
 * @param provenance what it was trained for and how
 */
public record Adapter(Projection projection, AdapterProvenance provenance) {
    public Adapter {
        Objects.requireNonNull(projection, "projection");
        Objects.requireNonNull(provenance, "provenance");
    }

    /**
     * Refuses use with another base model or another class list.
     *
     * @param baseModel identity of the model loaded now
     * @param classes   the prompt labels in use now, in class order
     * @throws IncompatibleAdapterException saying which of the two differs and how
     */
    public void requireCompatible(String baseModel, List<String> classes) {
        requireCompatible(baseModel, null, classes);
    }

    /**
     * Refuses use with another model or another class list, accepting a base model recorded in the
     * model's current or earlier identity form (see {@link ModelIdentity#matching}): the one rule
     * every reader of adapters (score, the service, Spark, eval) applies.
     *
     * @param model   the model loaded now
     * @param classes the prompt labels in use now, in class order
     * @throws IncompatibleAdapterException saying which of the two differs and how
     */
    public void requireCompatible(ModelIdentity model, List<String> classes) {
        requireCompatible(model.matching(provenance.baseModel()), classes);
    }

    /**
     * As {@link #requireCompatible(String, List)}, also comparing the base model's revision when
     * both the adapter and {@code baseRevision} name one (non-null, non-empty).
     */
    public void requireCompatible(String baseModel, String baseRevision, List<String> classes) {
        List<String> problems = new ArrayList<>();
        AdapterProvenance p = provenance;
        if (!p.baseModel().equals(baseModel)) {
            problems.add("adapter was trained for base model '" + p.baseModel() + "', but the model loaded is '"
                    + baseModel + "'");
        } else if (baseRevision != null
                && !baseRevision.isEmpty()
                && !p.baseRevision().isEmpty()
                && !p.baseRevision().equals(baseRevision)) {
            problems.add("adapter was trained for revision '" + p.baseRevision() + "' of base model '" + baseModel
                    + "', but the revision loaded is '" + baseRevision + "'");
        }
        String classProblem = classDifference(p.classes(), classes);
        if (classProblem != null) {
            problems.add(classProblem);
        }
        if (!problems.isEmpty()) {
            throw new IncompatibleAdapterException(problems);
        }
    }

    /**
     * Refuses a model whose projection has another shape.
     *
     * @throws IncompatibleAdapterException naming both shapes
     */
    public void requireShape(int outDim, int inDim) {
        if (projection.outDim() != outDim || projection.inDim() != inDim) {
            throw new IncompatibleAdapterException(List.of("adapter projection is [" + projection.outDim() + ", "
                    + projection.inDim() + "], but the model's projection is [" + outDim + ", " + inDim + "]"));
        }
    }

    /** A description of how two class lists differ, or null when they are equal. */
    static String classDifference(List<String> adapter, List<String> now) {
        if (adapter.equals(now)) {
            return null;
        }
        Set<String> a = new HashSet<>(adapter);
        Set<String> b = new HashSet<>(now);
        List<String> missing = adapter.stream().filter(c -> !b.contains(c)).toList();
        List<String> extra = now.stream().filter(c -> !a.contains(c)).toList();
        StringBuilder s = new StringBuilder(
                "adapter was trained for " + adapter.size() + " classes, the class list in use has " + now.size());
        if (!missing.isEmpty()) {
            s.append("; only in the adapter: ").append(quoted(missing));
        }
        if (!extra.isEmpty()) {
            s.append("; only in the list in use: ").append(quoted(extra));
        }
        if (missing.isEmpty() && extra.isEmpty()) {
            for (int i = 0; i < Math.min(adapter.size(), now.size()); i++) {
                if (!adapter.get(i).equals(now.get(i))) {
                    s.append("; same names in another order, first at class ")
                            .append(i)
                            .append(": '")
                            .append(adapter.get(i))
                            .append("' (adapter) vs '")
                            .append(now.get(i))
                            .append("' (in use)");
                    break;
                }
            }
            if (adapter.size() != now.size()) {
                s.append("; repeated names differ");
            }
        }
        return s.toString();
    }

    private static String quoted(List<String> names) {
        int limit = 10;
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < Math.min(limit, names.size()); i++) {
            s.append(i == 0 ? "" : ", ").append('\'').append(names.get(i)).append('\'');
        }
        if (names.size() > limit) {
            s.append(" and ").append(names.size() - limit).append(" more");
        }
        return s.toString();
    }
}
