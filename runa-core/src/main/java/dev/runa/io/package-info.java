/**
 * File helpers every command shares: atomic replacement, so that no command ever leaves a
 * half-written output behind, and the folders where recomputable caches live.
 */
package dev.runa.io;
