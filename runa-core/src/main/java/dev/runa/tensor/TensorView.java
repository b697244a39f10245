package dev.runa.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;

/**
 * A named tensor whose bytes live outside the Java heap (a slice of a memory-mapped checkpoint,
 * or a direct buffer), in row-major order and little-endian byte order.
 *
 * <p>The view does not own its memory: it stays valid as long as the object that produced it
 * (usually a checkpoint file) is open.
 *
 * @param name  the tensor's key in its checkpoint
 * @param dtype element type of {@code data}
 * @param shape dimensions, outermost first
 * @param data  exactly {@code numel * dtype.byteSize()} bytes, little-endian, position 0
 */
public record TensorView(String name, DType dtype, long[] shape, ByteBuffer data) {

    public TensorView {
        shape = shape.clone();
        long expected = Shapes.numel(shape) * dtype.byteSize();
        if (data.remaining() != expected) {
            throw new IllegalArgumentException("tensor '" + name + "': " + data.remaining() + " bytes for shape "
                    + Arrays.toString(shape) + " of " + dtype + " (expected " + expected + ")");
        }
        data = data.slice().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements. */
    public long numel() {
        return Shapes.numel(shape);
    }

    /**
     * The values as float32. For F32 tensors this is a view of the same memory (no copy); F16,
     * BF16 and F64 are converted once into a new direct buffer.
     */
    public FloatBuffer asFloats() {
        ByteBuffer src = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        return switch (dtype) {
            case F32 -> src.asFloatBuffer();
            case F16, BF16, F64 -> {
                int n = Math.toIntExact(numel());
                FloatBuffer out = ByteBuffer.allocateDirect(n * 4)
                        .order(ByteOrder.nativeOrder())
                        .asFloatBuffer();
                for (int i = 0; i < n; i++) {
                    float v = switch (dtype) {
                        case F16 -> Float16.toFloat(src.getShort(i * 2));
                        case BF16 -> Float.intBitsToFloat((src.getShort(i * 2) & 0xffff) << 16);
                        default -> (float) src.getDouble(i * 8);
                    };
                    out.put(i, v);
                }
                yield out;
            }
            default -> throw new IllegalStateException("tensor '" + name + "' has non-float dtype " + dtype);
        };
    }
}
