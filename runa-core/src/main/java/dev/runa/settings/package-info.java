/**
 * How library errors refer to settings: by the library's own names, which front ends map to their
 * spelling (the command line to its flags). Keeps command-line syntax out of the library.
 */
package dev.runa.settings;
