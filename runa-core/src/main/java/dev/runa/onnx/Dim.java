package dev.runa.onnx;

/**
 * One dimension of a declared tensor shape: a fixed size or a symbolic name such as {@code "batch"}.
 *
 * @param value size when {@code symbol} is null
 * @param symbol name of a dynamic dimension, or null
 */
public record Dim(long value, String symbol) {

    /** A fixed dimension. */
    public static Dim of(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("dimension must be >= 0, got " + value);
        }
        return new Dim(value, null);
    }

    /** A dynamic dimension, named so that ORT can tell equal dynamic sizes apart. */
    public static Dim symbolic(String symbol) {
        if (symbol == null || symbol.isEmpty()) {
            throw new IllegalArgumentException("symbolic dimension needs a name");
        }
        return new Dim(-1, symbol);
    }

    ProtoWriter encode() {
        // TensorShapeProto.Dimension: dim_value = 1, dim_param = 2.
        ProtoWriter w = new ProtoWriter();
        return symbol == null ? w.varintField(1, value) : w.stringField(2, symbol);
    }
}
