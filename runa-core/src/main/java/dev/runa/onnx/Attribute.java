package dev.runa.onnx;

/**
 * A node attribute ({@code AttributeProto}). Create with the typed factories.
 *
 * @param name  attribute name
 * @param kind  which value field is set
 * @param value a {@code Long}, {@code Float}, {@code long[]}, {@code float[]}, {@code String} or {@link ConstantTensor}
 */
public record Attribute(String name, Kind kind, Object value) {

    /** {@code AttributeProto.AttributeType} values used here. */
    public enum Kind {
        FLOAT(1),
        INT(2),
        STRING(3),
        TENSOR(4),
        FLOATS(6),
        INTS(7);

        final int code;

        Kind(int code) {
            this.code = code;
        }
    }

    public static Attribute of(String name, long value) {
        return new Attribute(name, Kind.INT, value);
    }

    public static Attribute of(String name, float value) {
        return new Attribute(name, Kind.FLOAT, value);
    }

    public static Attribute of(String name, String value) {
        return new Attribute(name, Kind.STRING, value);
    }

    public static Attribute ints(String name, long... values) {
        return new Attribute(name, Kind.INTS, values.clone());
    }

    public static Attribute floats(String name, float... values) {
        return new Attribute(name, Kind.FLOATS, values.clone());
    }

    public static Attribute tensor(String name, ConstantTensor value) {
        return new Attribute(name, Kind.TENSOR, value);
    }

    ProtoWriter encode() {
        // AttributeProto: name = 1, f = 2, i = 3, s = 4, t = 5, floats = 7, ints = 8, type = 20.
        ProtoWriter w = new ProtoWriter().stringField(1, name);
        switch (kind) {
            case FLOAT -> w.floatField(2, (Float) value);
            case INT -> w.varintField(3, (Long) value);
            case STRING -> w.stringField(4, (String) value);
            case TENSOR -> w.messageField(5, ((ConstantTensor) value).encode());
            case FLOATS -> w.packedFloats(7, (float[]) value);
            case INTS -> w.packedVarints(8, (long[]) value);
        }
        return w.varintField(20, kind.code);
    }
}
