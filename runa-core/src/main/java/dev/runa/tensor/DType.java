package dev.runa.tensor;

import java.util.Locale;
import java.util.Optional;

/** Element types that appear in checkpoints, with their size in bytes and safetensors code. */
public enum DType {
    F32(4, "F32"),
    F16(2, "F16"),
    BF16(2, "BF16"),
    F64(8, "F64"),
    I64(8, "I64"),
    I32(4, "I32"),
    I16(2, "I16"),
    I8(1, "I8"),
    U8(1, "U8"),
    BOOL(1, "BOOL");

    private final int byteSize;
    private final String safetensorsName;

    DType(int byteSize, String safetensorsName) {
        this.byteSize = byteSize;
        this.safetensorsName = safetensorsName;
    }

    /** Size of one element in bytes. */
    public int byteSize() {
        return byteSize;
    }

    /** The dtype string used in safetensors headers ({@code "F32"}, {@code "BF16"}, ...). */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** True for the floating point types that the loader converts to F32. */
    public boolean isFloatingPoint() {
        return this == F32 || this == F16 || this == BF16 || this == F64;
    }

    /** Looks up a safetensors dtype string; empty when unknown. */
    public static Optional<DType> fromSafetensors(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        for (DType t : values()) {
            if (t.safetensorsName.equals(upper)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
