package dev.runa.ood;

import java.util.List;

/**
 * The ID class prompts: each class's human-readable label put into a template (docs/method.md
 * section 2). {@code "a photo of a {label}"} is the default template.
 *
 * @param labels   the prompt labels, in class order (e.g. {@code "potted plant"})
 * @param template text with one {@code {label}} placeholder
 */
public record PromptSet(List<String> labels, String template) {
    /** The prompt template of docs/method.md section 2. */
    public static final String DEFAULT_TEMPLATE = "a photo of a {label}";

    private static final String PLACEHOLDER = "{label}";

    public PromptSet {
        labels = List.copyOf(labels);
        if (labels.isEmpty()) {
            throw new IllegalArgumentException("the class list is empty");
        }
        for (int i = 0; i < labels.size(); i++) {
            if (labels.get(i).isBlank()) {
                throw new IllegalArgumentException("class " + i + " has an empty label");
            }
        }
        if (!template.contains(PLACEHOLDER)) {
            throw new IllegalArgumentException(
                    "prompt template '" + template + "' has no " + PLACEHOLDER + " placeholder");
        }
    }

    /** Prompts with the default template. */
    public static PromptSet of(List<String> labels) {
        return new PromptSet(labels, DEFAULT_TEMPLATE);
    }

    /** The prompt texts, one per class, in class order. */
    public List<String> prompts() {
        return labels.stream().map(l -> template.replace(PLACEHOLDER, l)).toList();
    }

    /** Number of classes. */
    public int size() {
        return labels.size();
    }
}
