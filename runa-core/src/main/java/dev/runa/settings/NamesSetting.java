package dev.runa.settings;

/** An exception whose message refers to a setting a user can change; see {@link SettingMessage}. */
public interface NamesSetting {
    /** The message with the setting marked, or null when this instance names none. */
    SettingMessage settingMessage();
}
