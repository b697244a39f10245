/**
 * Few-shot fine-tuning of the image projection (docs/method.md section 5): ground truth as labelled
 * regions, shot sampling and held-out split, regional features through the shared cache
 * ({@code dev.runa.features}), contrastive loss, AdamW and the trainer; the result is written as an
 * adapter file ({@code dev.runa.adapter}).
 */
package dev.runa.finetune;
