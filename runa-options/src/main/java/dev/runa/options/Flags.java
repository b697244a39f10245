package dev.runa.options;

import java.util.Map;

/**
 * How the command line spells the library's setting names (see {@code dev.runa.settings}): the
 * library names fields, every front end names flags. Stateless; thread-safe.
 */
public final class Flags {
    // Names whose flag is not simply the kebab-case of the name.
    private static final Map<String, String> SPECIAL = Map.of("groundTruthFormat", "--gt-format");

    private Flags() {}

    /** The flag for a library setting name: {@code minConfidence} is {@code --min-confidence}. */
    public static String of(String setting) {
        String special = SPECIAL.get(setting);
        if (special != null) {
            return special;
        }
        StringBuilder sb = new StringBuilder("--");
        for (char c : setting.toCharArray()) {
            if (Character.isUpperCase(c)) {
                sb.append('-').append(Character.toLowerCase(c));
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
