package dev.runa.demo;

import dev.runa.settings.NamesSetting;
import dev.runa.settings.SettingMessage;
import java.io.IOException;

/** A demo photo could not be downloaded; the message suggests the local photos folder instead. */
public final class PhotoFetchException extends IOException implements NamesSetting {
    private static final long serialVersionUID = 1L;

    private final transient SettingMessage message;

    public PhotoFetchException(SettingMessage message, Throwable cause) {
        super(message.text(), cause);
        this.message = message;
    }

    @Override
    public SettingMessage settingMessage() {
        return message;
    }
}
