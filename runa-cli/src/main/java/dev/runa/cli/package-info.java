/**
 * The {@code runa} command line (picocli): parsing and printing only, no logic.
 */
package dev.runa.cli;
