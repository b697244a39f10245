package dev.runa.tensor;

/** Small helpers for tensor shapes. */
public final class Shapes {
    private Shapes() {}

    /** Product of the dimensions; throws on negative dimensions or overflow. */
    public static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension " + d);
            }
            n = Math.multiplyExact(n, d);
        }
        return n;
    }
}
