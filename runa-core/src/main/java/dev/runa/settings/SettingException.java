package dev.runa.settings;

/**
 * A setting has a value the library cannot use. The message names the setting by its library name
 * (never a command-line flag); {@link #settingMessage()} lets a front end name it its own way.
 */
public final class SettingException extends IllegalArgumentException implements NamesSetting {
    private static final long serialVersionUID = 1L;

    private final SettingMessage message;

    public SettingException(SettingMessage message) {
        super(message.text());
        this.message = message;
    }

    /** {@code SETTING: problem}, the usual form. */
    public static SettingException of(String setting, String problem) {
        return new SettingException(new SettingMessage("", setting, ": " + problem));
    }

    @Override
    public SettingMessage settingMessage() {
        return message;
    }
}
