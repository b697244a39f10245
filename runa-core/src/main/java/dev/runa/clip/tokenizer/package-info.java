/**
 * CLIP's byte-level BPE tokenizer, exact to OpenAI's {@code simple_tokenizer} and
 * {@code clip.tokenize(texts, truncate=True)} (with {@code ftfy.fix_text} stubbed out, as in the
 * reference data).
 *
 * <pre>{@code
 * ClipTokenizer tok = ClipTokenizer.fromOpenAiVocab(Path.of("bpe_simple_vocab_16e6.txt.gz"));
 * // or ClipTokenizer.fromHuggingFace(dir.resolve("vocab.json"), dir.resolve("merges.txt"));
 * TokenizedText t = tok.encode("a photo of a dog");   // t.ids(): 77 ids, t.eotIndex(): pooling position
 * TokenBatch b = tok.encodeBatch(prompts);              // b.ids(): flat int64 [n, 77], b.shape()
 * }</pre>
 *
 * <p>Known limits: Java 17 knows Unicode 13, Python 3.11 Unicode 14; characters assigned only in
 * Unicode 14 are classed as unassigned (not letters/numbers) and not case-mapped here.
 */
package dev.runa.clip.tokenizer;
