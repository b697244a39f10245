package dev.runa.cli;

import dev.runa.options.Flags;

/** How the command line spells the library's setting names: {@link Flags}, which every front end shares. */
final class CliFlags {
    private CliFlags() {}

    /** The flag for a library setting name: {@code minConfidence} is {@code --min-confidence}. */
    static String of(String setting) {
        return Flags.of(setting);
    }
}
