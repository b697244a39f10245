package dev.runa.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * A small tensor stored inline in the model ({@code TensorProto.raw_data}): shapes, indices,
 * scalars, masks. Weights never go here; they reach ONNX Runtime as shared initializers.
 *
 * @param name  initializer name
 * @param type  element type
 * @param dims  shape
 * @param raw   little-endian element bytes
 */
public record ConstantTensor(String name, ElementType type, long[] dims, byte[] raw) {

    public ConstantTensor {
        dims = dims.clone();
        raw = raw.clone();
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n * type.byteSize() != raw.length) {
            throw new IllegalArgumentException("constant '" + name + "': " + raw.length + " bytes for shape "
                    + Arrays.toString(dims) + " of " + type);
        }
    }

    /** An int64 tensor of the given shape. */
    public static ConstantTensor int64s(String name, long[] dims, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (long v : values) {
            b.putLong(v);
        }
        return new ConstantTensor(name, ElementType.INT64, dims, b.array());
    }

    /** A uint8 tensor of the given shape (values 0..255). */
    public static ConstantTensor uint8s(String name, long[] dims, int... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            if (values[i] < 0 || values[i] > 255) {
                throw new IllegalArgumentException("constant '" + name + "': " + values[i] + " is not a uint8");
            }
            b[i] = (byte) values[i];
        }
        return new ConstantTensor(name, ElementType.UINT8, dims, b);
    }

    /** A float tensor of the given shape. */
    public static ConstantTensor floats(String name, long[] dims, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        return new ConstantTensor(name, ElementType.FLOAT, dims, b.array());
    }

    @Override
    public long[] dims() {
        return dims.clone();
    }

    @Override
    public byte[] raw() {
        return raw.clone();
    }

    ProtoWriter encode() {
        // TensorProto: dims = 1, data_type = 2, name = 8, raw_data = 9.
        return new ProtoWriter()
                .packedVarints(1, dims)
                .varintField(2, type.code())
                .stringField(8, name)
                .bytesField(9, raw);
    }
}
