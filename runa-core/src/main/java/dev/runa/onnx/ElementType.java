package dev.runa.onnx;

/** ONNX {@code TensorProto.DataType} codes of the element types the graphs here use. */
public enum ElementType {
    FLOAT(1, 4),
    UINT8(2, 1),
    INT8(3, 1),
    INT32(6, 4),
    INT64(7, 8),
    BOOL(9, 1);

    private final int code;
    private final int byteSize;

    ElementType(int code, int byteSize) {
        this.code = code;
        this.byteSize = byteSize;
    }

    /** The {@code TensorProto.DataType} enum value. */
    public int code() {
        return code;
    }

    /** Bytes per element in {@code raw_data}. */
    public int byteSize() {
        return byteSize;
    }
}
