/**
 * Few-shot fine-tuning of the image projection: shot sampling, feature cache, contrastive loss, AdamW, adapter files.
 */
package dev.runa.finetune;
