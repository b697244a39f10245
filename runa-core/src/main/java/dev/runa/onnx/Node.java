package dev.runa.onnx;

import java.util.List;

/**
 * One operator application ({@code NodeProto}).
 *
 * @param opType     operator name, e.g. {@code "MatMul"}
 * @param domain     operator set domain: {@code ""} for standard ONNX, {@code "com.microsoft"} for ORT contrib ops
 * @param name       unique node name (shows up in ORT profiles and errors)
 * @param inputs     input value names; {@code ""} marks an omitted optional input
 * @param outputs    output value names
 * @param attributes attributes
 */
public record Node(
        String opType,
        String domain,
        String name,
        List<String> inputs,
        List<String> outputs,
        List<Attribute> attributes) {

    public Node {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
        attributes = List.copyOf(attributes);
    }

    ProtoWriter encode() {
        // NodeProto: input = 1, output = 2, name = 3, op_type = 4, attribute = 5, domain = 7.
        ProtoWriter w = new ProtoWriter();
        inputs.forEach(i -> w.stringField(1, i));
        outputs.forEach(o -> w.stringField(2, o));
        w.stringField(3, name).stringField(4, opType);
        attributes.forEach(a -> w.messageField(5, a.encode()));
        if (!domain.isEmpty()) {
            w.stringField(7, domain);
        }
        return w;
    }
}
