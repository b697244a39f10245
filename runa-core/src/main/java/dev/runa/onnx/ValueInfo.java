package dev.runa.onnx;

import java.util.Arrays;
import java.util.List;

/**
 * A graph input or output declaration: name, element type and shape.
 *
 * @param name  value name
 * @param type  element type
 * @param shape dimensions, fixed or symbolic
 */
public record ValueInfo(String name, ElementType type, List<Dim> shape) {

    public ValueInfo {
        shape = List.copyOf(shape);
    }

    /** A declaration with all-fixed dimensions. */
    public static ValueInfo fixed(String name, ElementType type, long... dims) {
        return new ValueInfo(name, type, Arrays.stream(dims).mapToObj(Dim::of).toList());
    }

    ProtoWriter encode() {
        // ValueInfoProto{name=1, type=2}; TypeProto{tensor_type=1}; TypeProto.Tensor{elem_type=1, shape=2};
        // TensorShapeProto{dim=1}.
        ProtoWriter shapeProto = new ProtoWriter();
        for (Dim d : shape) {
            shapeProto.messageField(1, d.encode());
        }
        ProtoWriter tensorType = new ProtoWriter().varintField(1, type.code()).messageField(2, shapeProto);
        ProtoWriter typeProto = new ProtoWriter().messageField(1, tensorType);
        return new ProtoWriter().stringField(1, name).messageField(2, typeProto);
    }
}
