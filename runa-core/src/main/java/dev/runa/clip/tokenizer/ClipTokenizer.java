package dev.runa.clip.tokenizer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * CLIP's tokenizer, id for id the same as OpenAI's {@code clip.tokenize(texts, truncate=True)} with
 * {@code simple_tokenizer} (ftfy stubbed out, as in the reference data): HTML unescaping (twice),
 * whitespace collapsing, lower-casing, the reference's pre-token regex, byte-level BPE, start and end
 * tokens, zero padding to the context length, truncation that keeps the end token last.
 *
 * <p>Thread-safe: immutable apart from a bounded BPE cache.
 */
public final class ClipTokenizer {
    /** CLIP's text context length. */
    public static final int DEFAULT_CONTEXT_LENGTH = 77;
    /** Enough for the distinct words of large prompt sets; each entry is a few dozen bytes. */
    public static final int DEFAULT_CACHE_CAPACITY = 50_000;

    /**
     * The reference's pattern, with IGNORECASE. The {@code regex} module's {@code \s} is Unicode
     * White_Space, which is Java's {@code \s} under UNICODE_CHARACTER_CLASS; leftmost-first
     * alternation and {@link Matcher#find()} skipping unmatched characters reproduce {@code findall}.
     * One deliberate difference in the text of the pattern: under IGNORECASE the {@code regex} module
     * excludes U+0345 (a combining mark whose upper case is the letter iota) from
     * {@code [^\s\p{L}\p{N}]}, so the reference drops it; Java would keep it, hence the explicit
     * exclusion. A check over all code points found no other difference among characters that Java
     * 17 (Unicode 13) assigns; characters new in Python 3.11's Unicode 14 count as unassigned here.
     */
    private static final Pattern PRE_TOKEN = Pattern.compile(
            "<\\|startoftext\\|>|<\\|endoftext\\|>|'s|'t|'re|'ve|'m|'ll|'d|[\\p{L}]+|[\\p{N}]|[^\\s\\p{L}\\p{N}\\u0345]+",
            Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE | Pattern.UNICODE_CHARACTER_CLASS);

    private final BpeVocabulary vocab;
    private final BytePairEncoder encoder;
    private final BpeCache cache;
    private final int contextLength;

    /** A tokenizer with CLIP's 77-token context. */
    public ClipTokenizer(BpeVocabulary vocab) {
        this(vocab, DEFAULT_CONTEXT_LENGTH, DEFAULT_CACHE_CAPACITY);
    }

    /**
     * @param contextLength ids per text, at least 2 (start and end token)
     * @param cacheCapacity pre-tokens whose BPE result is kept (0 disables the cache)
     */
    public ClipTokenizer(BpeVocabulary vocab, int contextLength, int cacheCapacity) {
        if (contextLength < 2) {
            throw new IllegalArgumentException("context length must be at least 2, got " + contextLength);
        }
        this.vocab = vocab;
        this.encoder = new BytePairEncoder(vocab);
        this.cache = new BpeCache(cacheCapacity);
        this.contextLength = contextLength;
    }

    /** Tokenizer over OpenAI's {@code bpe_simple_vocab_16e6.txt.gz}. */
    public static ClipTokenizer fromOpenAiVocab(Path gz) {
        return new ClipTokenizer(BpeVocabulary.fromOpenAiGzip(gz));
    }

    /** Tokenizer over a Hugging Face checkpoint's {@code vocab.json} and {@code merges.txt}. */
    public static ClipTokenizer fromHuggingFace(Path vocabJson, Path mergesTxt) {
        return new ClipTokenizer(BpeVocabulary.fromHuggingFace(vocabJson, mergesTxt));
    }

    public BpeVocabulary vocabulary() {
        return vocab;
    }

    public int contextLength() {
        return contextLength;
    }

    /**
     * Tokenizes one text.
     *
     * @throws IllegalArgumentException if the text holds an unpaired surrogate (Python cannot encode
     *                                  it to UTF-8 either)
     */
    public TokenizedText encode(String text) {
        int[] bpe = bpeIds(text);
        int[] ids = new int[contextLength];
        ids[0] = vocab.startOfTextId();
        int kept = Math.min(bpe.length, contextLength - 2);
        System.arraycopy(bpe, 0, ids, 1, kept);
        ids[kept + 1] = vocab.endOfTextId();
        return new TokenizedText(ids, argmax(ids), bpe);
    }

    /** Tokenizes several texts into one {@code [n, contextLength]} int64 batch for the text encoder. */
    public TokenBatch encodeBatch(List<String> texts) {
        long[] flat = new long[texts.size() * contextLength];
        int[] eot = new int[texts.size()];
        for (int t = 0; t < texts.size(); t++) {
            TokenizedText tt = encode(texts.get(t));
            int[] ids = tt.ids();
            for (int i = 0; i < contextLength; i++) {
                flat[t * contextLength + i] = ids[i];
            }
            eot[t] = tt.eotIndex();
        }
        return new TokenBatch(flat, eot, contextLength);
    }

    /** The reference's {@code encode}: BPE ids of the cleaned text, without start/end or truncation. */
    public int[] bpeIds(String text) {
        requireWellFormed(text);
        String cleaned = ClipTextCleaner.clean(text);
        Matcher m = PRE_TOKEN.matcher(cleaned);
        List<int[]> pieces = new ArrayList<>();
        int total = 0;
        while (m.find()) {
            int[] ids = wordIds(m.group());
            pieces.add(ids);
            total += ids.length;
        }
        int[] out = new int[total];
        int at = 0;
        for (int[] p : pieces) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    private int[] wordIds(String word) {
        // The reference seeds its cache with the two special tokens, so typed "<|endoftext|>" is one token.
        if (word.equals(BpeVocabulary.START_OF_TEXT)) {
            return new int[] {vocab.startOfTextId()};
        }
        if (word.equals(BpeVocabulary.END_OF_TEXT)) {
            return new int[] {vocab.endOfTextId()};
        }
        int[] ids = cache.get(word);
        if (ids == null) {
            ids = encoder.encode(word);
            cache.put(word, ids);
        }
        return ids;
    }

    /** Position of the first largest id, like {@code torch.argmax} in the reference's pooling. */
    private static int argmax(int[] ids) {
        int best = 0;
        for (int i = 1; i < ids.length; i++) {
            if (ids[i] > ids[best]) {
                best = i;
            }
        }
        return best;
    }

    private static void requireWellFormed(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("text has an unpaired surrogate U+"
                        + Integer.toHexString(c).toUpperCase() + " at index " + i + "; it cannot be encoded as UTF-8");
            }
        }
    }
}
