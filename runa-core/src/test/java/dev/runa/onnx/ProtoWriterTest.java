package dev.runa.onnx;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Wire-format bytes checked against the protobuf encoding spec's own examples and hand encodings. */
class ProtoWriterTest {
    private static String hex(ProtoWriter w) {
        return HexFormat.of().formatHex(w.toByteArray());
    }

    @Test
    void varintsMatchTheSpecExamples() {
        // protobuf.dev "Encoding": field 1 = 150 -> 08 96 01; 300 -> ac 02.
        assertEquals("089601", hex(new ProtoWriter().varintField(1, 150)));
        assertEquals("10ac02", hex(new ProtoWriter().varintField(2, 300)));
        // Negative int64: ten bytes, two's complement.
        assertEquals("08ffffffffffffffffff01", hex(new ProtoWriter().varintField(1, -1)));
    }

    @Test
    void lengthDelimitedPackedAndFixed32() {
        // Spec example: field 2 = "testing" -> 12 07 74 65 73 74 69 6e 67.
        assertEquals("120774657374696e67", hex(new ProtoWriter().stringField(2, "testing")));
        // Spec example: packed field 4 = [3, 270, 86942] -> 22 06 03 8e 02 9e a7 05.
        assertEquals("2206038e029ea705", hex(new ProtoWriter().packedVarints(4, new long[] {3, 270, 86942})));
        // 1.0f = 0x3f800000, little-endian, wire type 5.
        assertEquals("150000803f", hex(new ProtoWriter().floatField(2, 1.0f)));
    }

    @Test
    void symbolicDimensionAndIntAttribute() {
        // Dimension{dim_param = "batch"} -> 12 05 "batch".
        assertEquals("12056261746368", hex(Dim.symbolic("batch").encode()));
        // AttributeProto{name = "axis", i = 1, type = INT(2)} -> 0a 04 "axis" 18 01 a0 01 02.
        assertEquals(
                "0a0461786973" + "1801" + "a00102", hex(Attribute.of("axis", 1L).encode()));
    }
}
