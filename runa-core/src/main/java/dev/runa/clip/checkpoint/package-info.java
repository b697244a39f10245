/**
 * Checkpoint readers (safetensors, restricted pickle for {@code pytorch_model.bin}) and key-name mapping to one canonical layout.
 */
package dev.runa.clip.checkpoint;
