/**
 * The adapter file: a fine-tuned image projection and how it was trained ({@link
 * dev.runa.adapter.AdapterProvenance}), as safetensors. Written by finetune, read by score (through
 * {@code RunaOptions}) and by eval; a package of its own so that neither reader depends on
 * fine-tuning.
 */
package dev.runa.adapter;
