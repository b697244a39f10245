package dev.runa.onnx;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Minimal protocol-buffers wire-format encoder: just the field kinds ONNX's messages use
 * (varints, length-delimited bytes/strings/messages, packed repeated numbers, fixed32 floats).
 */
final class ProtoWriter {
    private static final int VARINT = 0;
    private static final int FIXED32 = 5;
    private static final int LENGTH_DELIMITED = 2;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    byte[] toByteArray() {
        return out.toByteArray();
    }

    ProtoWriter varintField(int field, long value) {
        tag(field, VARINT);
        varint(value);
        return this;
    }

    ProtoWriter floatField(int field, float value) {
        tag(field, FIXED32);
        fixed32(Float.floatToRawIntBits(value));
        return this;
    }

    ProtoWriter stringField(int field, String value) {
        return bytesField(field, value.getBytes(StandardCharsets.UTF_8));
    }

    ProtoWriter bytesField(int field, byte[] value) {
        tag(field, LENGTH_DELIMITED);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    ProtoWriter messageField(int field, ProtoWriter message) {
        return bytesField(field, message.toByteArray());
    }

    /** Packed repeated int64/int32 (the proto3-style encoding that proto2 parsers also accept). */
    ProtoWriter packedVarints(int field, long[] values) {
        ProtoWriter body = new ProtoWriter();
        for (long v : values) {
            body.varint(v);
        }
        return bytesField(field, body.toByteArray());
    }

    /** Packed repeated float. */
    ProtoWriter packedFloats(int field, float[] values) {
        ProtoWriter body = new ProtoWriter();
        for (float v : values) {
            body.fixed32(Float.floatToRawIntBits(v));
        }
        return bytesField(field, body.toByteArray());
    }

    private void tag(int field, int wireType) {
        varint(((long) field << 3) | wireType);
    }

    private void varint(long value) {
        // Negative int64 values take ten bytes, as protobuf specifies (two's complement, unsigned).
        long v = value;
        while ((v & ~0x7FL) != 0) {
            out.write((int) ((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
    }

    private void fixed32(int bits) {
        out.write(bits & 0xFF);
        out.write((bits >>> 8) & 0xFF);
        out.write((bits >>> 16) & 0xFF);
        out.write((bits >>> 24) & 0xFF);
    }
}
