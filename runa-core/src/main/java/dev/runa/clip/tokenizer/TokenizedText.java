package dev.runa.clip.tokenizer;

import java.util.Arrays;

/**
 * One text as CLIP's text encoder takes it.
 *
 * @param ids      {@code contextLength} ids: start token, BPE ids, end token, zeros (truncated so
 *                 that the end token stays in the last position)
 * @param eotIndex the position the text encoder pools at: {@code argmax(ids)} as in the reference
 *                 (the first end-of-text token, since it has the largest id)
 * @param bpe      the BPE ids of the text alone, before truncation
 */
public record TokenizedText(int[] ids, int eotIndex, int[] bpe) {
    public TokenizedText {
        ids = ids.clone();
        bpe = bpe.clone();
        if (eotIndex < 0 || eotIndex >= ids.length) {
            throw new IllegalArgumentException("eotIndex " + eotIndex + " is outside 0.." + (ids.length - 1));
        }
    }

    /** A copy of the padded ids. */
    @Override
    public int[] ids() {
        return ids.clone();
    }

    /** A copy of the untruncated BPE ids. */
    @Override
    public int[] bpe() {
        return bpe.clone();
    }

    /** Whether the BPE ids did not all fit in the context. */
    public boolean truncated() {
        return bpe.length + 2 > ids.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenizedText t
                && eotIndex == t.eotIndex
                && Arrays.equals(ids, t.ids)
                && Arrays.equals(bpe, t.bpe);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(ids) + eotIndex) + Arrays.hashCode(bpe);
    }

    @Override
    public String toString() {
        return "TokenizedText[eotIndex=" + eotIndex + ", bpe=" + Arrays.toString(bpe) + "]";
    }
}
