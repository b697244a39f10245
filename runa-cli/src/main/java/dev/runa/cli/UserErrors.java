package dev.runa.cli;

import dev.runa.settings.NamesSetting;
import java.io.FileNotFoundException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;

/** Turns an exception into the one line a user reads; settings the library names become flags. */
final class UserErrors {
    private UserErrors() {}

    static String describe(Throwable ex) {
        Throwable t = ex;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        if (t instanceof NamesSetting ns && ns.settingMessage() != null) {
            return ns.settingMessage().spelled(CliFlags::of);
        }
        if (t instanceof NoSuchFileException nsf) {
            return nsf.getReason() != null ? nsf.getFile() + ": " + nsf.getReason() : "no such file: " + nsf.getFile();
        }
        if (t instanceof AccessDeniedException ade) {
            return "permission denied: " + ade.getFile();
        }
        if (t instanceof FileNotFoundException) {
            return "file not found: " + t.getMessage();
        }
        String msg = t.getMessage();
        return msg == null ? t.getClass().getSimpleName() : msg;
    }
}
