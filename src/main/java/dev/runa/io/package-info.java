/**
 * File helpers every writer shares: atomic replacement, so that no command ever leaves a
 * half-written output behind.
 */
package dev.runa.io;
