package dev.runa.options;

import picocli.CommandLine.IVersionProvider;

/** What {@code --version} prints in every front end. Stateless; thread-safe. */
public final class RunaVersion implements IVersionProvider {
    /** The version line. */
    public static final String VERSION = "runa-java 0.1.0";

    @Override
    public String[] getVersion() {
        return new String[] {VERSION};
    }
}
