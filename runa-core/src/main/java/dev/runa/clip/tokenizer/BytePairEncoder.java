package dev.runa.clip.tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The reference's {@code bpe()} on one pre-token: the word's UTF-8 bytes become byte symbols (the
 * last one carrying {@code </w>}), then the adjacent pair with the lowest merge rank is merged
 * everywhere, left to right without overlap, until no adjacent pair has a rule. Symbols are
 * vocabulary ids instead of strings; the vocabulary maps strings to ids one to one, so the result
 * is the same.
 */
final class BytePairEncoder {
    private final BpeVocabulary vocab;

    BytePairEncoder(BpeVocabulary vocab) {
        this.vocab = vocab;
    }

    int[] encode(String word) {
        byte[] bytes = word.getBytes(StandardCharsets.UTF_8);
        int n = bytes.length;
        int[] symbols = new int[n];
        for (int i = 0; i < n; i++) {
            symbols[i] = vocab.byteSymbol(bytes[i], i == n - 1);
        }
        while (n > 1) {
            long best = Long.MAX_VALUE;
            int first = -1;
            int second = -1;
            for (int i = 0; i + 1 < n; i++) {
                long rule = vocab.merge(symbols[i], symbols[i + 1]);
                if (rule >= 0 && rule < best) {
                    best = rule;
                    first = symbols[i];
                    second = symbols[i + 1];
                }
            }
            if (first < 0) {
                break;
            }
            int merged = (int) best; // low 32 bits: id of the merged token
            int out = 0;
            for (int i = 0; i < n; ) {
                if (i + 1 < n && symbols[i] == first && symbols[i + 1] == second) {
                    symbols[out++] = merged;
                    i += 2;
                } else {
                    symbols[out++] = symbols[i++];
                }
            }
            n = out;
        }
        return Arrays.copyOf(symbols, n);
    }
}
