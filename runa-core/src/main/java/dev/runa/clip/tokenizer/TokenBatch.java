package dev.runa.clip.tokenizer;

import java.util.Arrays;

/**
 * Several texts tokenized for one ONNX call.
 *
 * @param ids           row-major {@code [size, contextLength]} ids, int64 as the text encoder's input
 * @param eotIndices    per text, the position the encoder pools at
 * @param contextLength ids per text (77)
 */
public record TokenBatch(long[] ids, int[] eotIndices, int contextLength) {
    public TokenBatch {
        if (contextLength <= 0 || ids.length != (long) eotIndices.length * contextLength) {
            throw new IllegalArgumentException("token batch of " + eotIndices.length + " texts x " + contextLength
                    + " positions cannot hold " + ids.length + " ids");
        }
        ids = ids.clone();
        eotIndices = eotIndices.clone();
    }

    /** Number of texts. */
    public int size() {
        return eotIndices.length;
    }

    /** {@code {size, contextLength}}, the ONNX input shape. */
    public long[] shape() {
        return new long[] {size(), contextLength};
    }

    /** A copy of the flat ids. */
    @Override
    public long[] ids() {
        return ids.clone();
    }

    /** A copy of the pooling positions. */
    @Override
    public int[] eotIndices() {
        return eotIndices.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TokenBatch b
                && contextLength == b.contextLength
                && Arrays.equals(ids, b.ids)
                && Arrays.equals(eotIndices, b.eotIndices);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(ids) + Arrays.hashCode(eotIndices)) + contextLength;
    }

    @Override
    public String toString() {
        return "TokenBatch[size=" + size() + ", contextLength=" + contextLength + "]";
    }
}
