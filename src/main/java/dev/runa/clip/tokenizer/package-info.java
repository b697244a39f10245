/**
 * CLIP's byte-level BPE tokenizer, exact to OpenAI's {@code simple_tokenizer}.
 */
package dev.runa.clip.tokenizer;
