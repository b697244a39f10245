package dev.runa.onnx;

import java.util.List;
import java.util.Map;

/**
 * A complete ONNX model (one graph) ready to serialise to {@code ModelProto} bytes.
 *
 * @param graphName    graph name
 * @param nodes        nodes in topological order
 * @param constants    small inline initializers
 * @param inputs       graph inputs fed at run time
 * @param external     weights supplied at session creation (declared as data-less placeholder initializers)
 * @param outputs      graph outputs
 * @param storedShapes for weights the graph views with another shape than their source stores
 *                     (e.g. a conv kernel [D, 3, p, p] used as a matrix [D, 3*p*p]): the stored shape
 * @param opsets       operator set versions by domain ({@code ""} = ai.onnx)
 * @param metadata     {@code metadata_props} of the model (e.g. an exported detector's class {@code names})
 */
public record OnnxModel(
        String graphName,
        List<Node> nodes,
        List<ConstantTensor> constants,
        List<ValueInfo> inputs,
        List<ValueInfo> external,
        List<ValueInfo> outputs,
        Map<String, List<Long>> storedShapes,
        Map<String, Integer> opsets,
        Map<String, String> metadata) {

    /** IR version 8 (ONNX 1.10+): understood by every ORT release that supports opset 17. */
    public static final int IR_VERSION = 8;

    public OnnxModel {
        nodes = List.copyOf(nodes);
        constants = List.copyOf(constants);
        inputs = List.copyOf(inputs);
        external = List.copyOf(external);
        outputs = List.copyOf(outputs);
        storedShapes = Map.copyOf(storedShapes);
        opsets = Map.copyOf(opsets);
        metadata = Map.copyOf(metadata);
    }

    /** A model without metadata properties. */
    public OnnxModel(
            String graphName,
            List<Node> nodes,
            List<ConstantTensor> constants,
            List<ValueInfo> inputs,
            List<ValueInfo> external,
            List<ValueInfo> outputs,
            Map<String, List<Long>> storedShapes,
            Map<String, Integer> opsets) {
        this(graphName, nodes, constants, inputs, external, outputs, storedShapes, opsets, Map.of());
    }

    /** The shape the weight source stores weight {@code w} in (its graph shape unless viewed differently). */
    public long[] storedShape(ValueInfo w) {
        List<Long> s = storedShapes.get(w.name());
        return s != null
                ? s.stream().mapToLong(Long::longValue).toArray()
                : w.shape().stream().mapToLong(Dim::value).toArray();
    }

    /** The serialised {@code ModelProto}. */
    public byte[] toByteArray() {
        // GraphProto: node = 1, name = 2, initializer = 5, input = 11, output = 12.
        ProtoWriter graph = new ProtoWriter();
        nodes.forEach(n -> graph.messageField(1, n.encode()));
        graph.stringField(2, graphName);
        constants.forEach(c -> graph.messageField(5, c.encode()));
        external.forEach(w -> graph.messageField(5, placeholder(w)));
        inputs.forEach(i -> graph.messageField(11, i.encode()));
        outputs.forEach(o -> graph.messageField(12, o.encode()));
        // ModelProto: ir_version = 1, producer_name = 2, producer_version = 3, graph = 7, opset_import = 8.
        ProtoWriter model = new ProtoWriter()
                .varintField(1, IR_VERSION)
                .stringField(2, "runa-java")
                .stringField(3, "0.1.0")
                .messageField(7, graph);
        opsets.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            // OperatorSetIdProto: domain = 1, version = 2.
            ProtoWriter opset = new ProtoWriter();
            if (!e.getKey().isEmpty()) {
                opset.stringField(1, e.getKey());
            }
            model.messageField(8, opset.varintField(2, e.getValue()));
        });
        // metadata_props = 14: StringStringEntryProto {key = 1, value = 2}, sorted for stable bytes.
        metadata.entrySet().stream()
                .sorted(Map.Entry.comparingByKey())
                .forEach(e -> model.messageField(
                        14, new ProtoWriter().stringField(1, e.getKey()).stringField(2, e.getValue())));
        return model.toByteArray();
    }

    /**
     * An initializer that names and shapes a weight but carries no bytes: it claims external data
     * in a file that does not exist. ONNX Runtime matches the name against
     * {@code SessionOptions.addInitializer} and uses the caller's buffer instead, never opening the
     * file; a weight declared as a plain graph input would instead stay a run-time input.
     */
    private static ProtoWriter placeholder(ValueInfo w) {
        long[] dims = w.shape().stream().mapToLong(Dim::value).toArray();
        long bytes = w.type().byteSize();
        for (long d : dims) {
            bytes *= d;
        }
        // TensorProto: dims = 1, data_type = 2, name = 8, external_data = 13 (key = 1, value = 2),
        // data_location = 14 (EXTERNAL = 1).
        ProtoWriter t = new ProtoWriter()
                .packedVarints(1, dims)
                .varintField(2, w.type().code())
                .stringField(8, w.name());
        t.messageField(13, new ProtoWriter().stringField(1, "location").stringField(2, SHARED_PLACEHOLDER_FILE));
        t.messageField(13, new ProtoWriter().stringField(1, "offset").stringField(2, "0"));
        t.messageField(13, new ProtoWriter().stringField(1, "length").stringField(2, Long.toString(bytes)));
        return t.varintField(14, 1);
    }

    /** File name the placeholders point at; it never exists, so a weight left unsupplied fails loudly. */
    public static final String SHARED_PLACEHOLDER_FILE = "runa-weights-supplied-at-session-creation.bin";
}
