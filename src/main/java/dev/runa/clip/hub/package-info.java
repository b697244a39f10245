/**
 * Hugging Face hub download and cache, in the standard cache layout that Python tools share.
 */
package dev.runa.clip.hub;
