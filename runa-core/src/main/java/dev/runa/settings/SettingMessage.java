package dev.runa.settings;

import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * An error message that refers to one setting by its library name (a field of the library's
 * options, e.g. {@code precision}), so that each front end can spell it its own way: the command
 * line as its flag, a service as its JSON field. Immutable.
 *
 * @param before  the text before the setting's name
 * @param setting the setting's library name
 * @param after   the text after it
 */
public record SettingMessage(String before, String setting, String after) {
    public SettingMessage {
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(setting, "setting");
        Objects.requireNonNull(after, "after");
    }

    /** The message naming the setting by its library name. */
    public String text() {
        return before + setting + after;
    }

    /** The message naming the setting as {@code spelling} spells library names. */
    public String spelled(UnaryOperator<String> spelling) {
        return before + spelling.apply(setting) + after;
    }
}
