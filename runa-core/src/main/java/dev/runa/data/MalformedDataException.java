package dev.runa.data;

import dev.runa.settings.NamesSetting;
import dev.runa.settings.SettingMessage;
import java.io.IOException;

/** A dataset or detector-output file whose content is invalid; the message names the file and the place in it. */
public final class MalformedDataException extends IOException implements NamesSetting {
    private static final long serialVersionUID = 1L;

    private final transient SettingMessage settingMessage;

    /** A message that also suggests changing a setting (e.g. the ground-truth format). */
    public MalformedDataException(SettingMessage message) {
        super(message.text());
        this.settingMessage = message;
    }

    @Override
    public SettingMessage settingMessage() {
        return settingMessage;
    }

    public MalformedDataException(String message) {
        super(message);
        this.settingMessage = null;
    }

    public MalformedDataException(String message, Throwable cause) {
        super(message, cause);
        this.settingMessage = null;
    }
}
