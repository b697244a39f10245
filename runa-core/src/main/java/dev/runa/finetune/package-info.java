/**
 * Few-shot fine-tuning of the image projection (design doc section 5): ground truth as labelled regions, shot
 * sampling and held-out split, the on-disk feature cache, contrastive loss, AdamW, trainer, adapter files.
 */
package dev.runa.finetune;
