package dev.runa.settings;

import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * An error message that refers to one setting by its library name (a field of the library's
 * options, e.g. {@code precision}), so that each front end can spell it its own way: the command
 * line as its flag, a service as its JSON field. Immutable.
 *
 * @param setting the setting's library name
 * @param texts   the text around each mention of the setting: the setting stands between every two
 *                of them (two texts: one mention, the usual case; three: a message naming it twice)
 */
public record SettingMessage(String setting, List<String> texts) {
    public SettingMessage {
        Objects.requireNonNull(setting, "setting");
        texts = List.copyOf(texts);
        if (texts.size() < 2) {
            throw new IllegalArgumentException("a setting message needs the texts before and after the setting");
        }
    }

    /** {@code before SETTING after}: a message naming the setting once. */
    public SettingMessage(String before, String setting, String after) {
        this(setting, List.of(before, after));
    }

    /** The message naming the setting by its library name. */
    public String text() {
        return String.join(setting, texts);
    }

    /** The message naming the setting as {@code spelling} spells library names. */
    public String spelled(UnaryOperator<String> spelling) {
        return String.join(spelling.apply(setting), texts);
    }
}
