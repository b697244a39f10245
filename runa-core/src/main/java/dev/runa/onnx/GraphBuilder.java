package dev.runa.onnx;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Assembles an ONNX graph node by node. Each operator method adds one node and returns the name of
 * its (first) output, so graphs read like straight-line code: {@code y = g.add(g.matMul(x, w), b)}.
 *
 * <p>Weights are not stored in the model: {@link #weight(String, long...)} declares a named tensor
 * that the caller hands to ONNX Runtime separately (as a shared initializer over a direct buffer).
 * Not thread-safe; one builder builds one model.
 */
public final class GraphBuilder {
    /** Domain of ONNX Runtime's contrib operators (Attention, MultiHeadAttention, FusedMatMul, ...). */
    public static final String MICROSOFT = "com.microsoft";

    private final String graphName;
    private final List<Node> nodes = new ArrayList<>();
    private final List<ConstantTensor> constants = new ArrayList<>();
    private final List<ValueInfo> inputs = new ArrayList<>();
    private final List<ValueInfo> weights = new ArrayList<>();
    private final List<ValueInfo> outputs = new ArrayList<>();
    private final Map<String, List<Long>> storedShapes = new LinkedHashMap<>();
    private final Map<String, Integer> opsets = new LinkedHashMap<>();
    private final Map<String, Integer> counters = new LinkedHashMap<>();
    private final Map<String, String> metadata = new LinkedHashMap<>();

    public GraphBuilder(String graphName) {
        this.graphName = graphName;
        opsets.put("", 17);
    }

    // ---- declarations -------------------------------------------------------------------------

    /** Declares a graph input fed at run time. */
    public String input(String name, ElementType type, Dim... shape) {
        inputs.add(new ValueInfo(name, type, List.of(shape)));
        return name;
    }

    /**
     * Declares a float weight supplied from outside the model through
     * {@code SessionOptions.addInitializer}. ONNX Runtime only substitutes such a tensor for an
     * initializer of the graph (a name declared as a graph input stays a run-time input), so the
     * model carries a shaped placeholder initializer without data.
     */
    public String weight(String name, long... shape) {
        return weight(name, ElementType.FLOAT, shape);
    }

    /** Like {@link #weight(String, long...)} for a weight of another element type (e.g. int8 quantized). */
    public String weight(String name, ElementType type, long... shape) {
        weights.add(ValueInfo.fixed(name, type, shape));
        return name;
    }

    /**
     * Declares a weight that the graph uses with shape {@code graphShape} while its source stores it
     * as {@code storedShape} (same elements, same order): the tensor handed to ORT is a reshaped
     * view of the same memory. Reshaping inside the graph instead would make ORT constant-fold a
     * copy of the weight.
     */
    public String weightViewed(String name, long[] storedShape, long... graphShape) {
        if (product(storedShape) != product(graphShape)) {
            throw new IllegalArgumentException("weight '" + name + "': stored shape " + Arrays.toString(storedShape)
                    + " and graph shape " + Arrays.toString(graphShape) + " differ in size");
        }
        storedShapes.put(name, Arrays.stream(storedShape).boxed().toList());
        return weight(name, graphShape);
    }

    private static long product(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Declares a graph output. */
    public void output(String name, ElementType type, Dim... shape) {
        outputs.add(new ValueInfo(name, type, List.of(shape)));
    }

    /** Sets a model metadata property ({@code metadata_props}), as exporters record class names. */
    public void metadata(String key, String value) {
        metadata.put(key, value);
    }

    /** Weights declared so far, in declaration order. */
    public List<ValueInfo> weights() {
        return List.copyOf(weights);
    }

    /** An inline int64 constant (shapes, axes, indices). */
    public String int64s(String hint, long... values) {
        String name = fresh(hint);
        constants.add(ConstantTensor.int64s(name, new long[] {values.length}, values));
        return name;
    }

    /** An inline int64 scalar. */
    public String int64Scalar(String hint, long value) {
        String name = fresh(hint);
        constants.add(ConstantTensor.int64s(name, new long[0], value));
        return name;
    }

    /** An inline uint8 scalar (a quantization zero point). */
    public String uint8Scalar(String hint, int value) {
        String name = fresh(hint);
        constants.add(ConstantTensor.uint8s(name, new long[0], value));
        return name;
    }

    /** An inline float constant of any (small) shape. */
    public String floats(String hint, long[] dims, float... values) {
        String name = fresh(hint);
        constants.add(ConstantTensor.floats(name, dims, values));
        return name;
    }

    /** An inline float scalar. */
    public String floatScalar(String hint, float value) {
        return floats(hint, new long[0], value);
    }

    // ---- generic node -------------------------------------------------------------------------

    /** Adds a node with one output and returns that output's name. */
    public String op(String opType, String domain, List<String> in, Attribute... attrs) {
        return opMulti(opType, domain, in, 1, attrs).get(0);
    }

    /** Adds a node with {@code outputCount} outputs and returns their names. */
    public List<String> opMulti(String opType, String domain, List<String> in, int outputCount, Attribute... attrs) {
        if (!domain.isEmpty()) {
            opsets.putIfAbsent(domain, 1);
        }
        String nodeName = fresh(opType);
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < outputCount; i++) {
            outs.add(outputCount == 1 ? nodeName + "_out" : nodeName + "_out" + i);
        }
        nodes.add(new Node(opType, domain, nodeName, in, outs, Arrays.asList(attrs)));
        return outs;
    }

    private String onnx(String opType, List<String> in, Attribute... attrs) {
        return op(opType, "", in, attrs);
    }

    // ---- standard operators (opset 17) --------------------------------------------------------

    public String add(String a, String b) {
        return onnx("Add", List.of(a, b));
    }

    public String sub(String a, String b) {
        return onnx("Sub", List.of(a, b));
    }

    public String mul(String a, String b) {
        return onnx("Mul", List.of(a, b));
    }

    public String matMul(String a, String b) {
        return onnx("MatMul", List.of(a, b));
    }

    /** {@code alpha * A' * B' + C} with optional transposes; {@code c} may be null. */
    public String gemm(String a, String b, String c, boolean transA, boolean transB) {
        List<String> in = c == null ? List.of(a, b) : List.of(a, b, c);
        return onnx("Gemm", in, Attribute.of("transA", transA ? 1L : 0L), Attribute.of("transB", transB ? 1L : 0L));
    }

    public String sigmoid(String x) {
        return onnx("Sigmoid", List.of(x));
    }

    /** Element-wise absolute value. */
    public String abs(String x) {
        return onnx("Abs", List.of(x));
    }

    /** ReduceMax over {@code axes} (opset 17: axes as an attribute), dropping the reduced axes. */
    public String reduceMax(String x, long... axes) {
        return onnx("ReduceMax", List.of(x), Attribute.ints("axes", axes), Attribute.of("keepdims", 0L));
    }

    /** ReduceMax over {@code axes}, keeping the reduced axes (size 1). */
    public String reduceMaxKeepDims(String x, long... axes) {
        return onnx("ReduceMax", List.of(x), Attribute.ints("axes", axes), Attribute.of("keepdims", 1L));
    }

    /** ReduceMin over {@code axes}, keeping the reduced axes (size 1). */
    public String reduceMinKeepDims(String x, long... axes) {
        return onnx("ReduceMin", List.of(x), Attribute.ints("axes", axes), Attribute.of("keepdims", 1L));
    }

    /** Element-wise maximum of any number of (broadcastable) inputs. */
    public String max(String... xs) {
        return onnx("Max", List.of(xs));
    }

    /** Splits {@code x} along {@code axis} into {@code parts} equal pieces. */
    public List<String> split(String x, long axis, int parts) {
        return opMulti("Split", "", List.of(x), parts, Attribute.of("axis", axis));
    }

    public String softmax(String x, long axis) {
        return onnx("Softmax", List.of(x), Attribute.of("axis", axis));
    }

    /** LayerNormalization over the last axis (opset 17). */
    public String layerNorm(String x, String scale, String bias, double epsilon) {
        return onnx(
                "LayerNormalization",
                List.of(x, scale, bias),
                Attribute.of("axis", -1L),
                Attribute.of("epsilon", (float) epsilon));
    }

    public String reshape(String x, long... shape) {
        return onnx("Reshape", List.of(x, int64s("shape", shape)));
    }

    public String reshape(String x, String shape) {
        return onnx("Reshape", List.of(x, shape));
    }

    public String transpose(String x, long... perm) {
        return onnx("Transpose", List.of(x), Attribute.ints("perm", perm));
    }

    public String concat(long axis, String... xs) {
        return onnx("Concat", List.of(xs), Attribute.of("axis", axis));
    }

    public String gather(String data, String indices, long axis) {
        return onnx("Gather", List.of(data, indices), Attribute.of("axis", axis));
    }

    public String gatherElements(String data, String indices, long axis) {
        return onnx("GatherElements", List.of(data, indices), Attribute.of("axis", axis));
    }

    public String unsqueeze(String x, long... axes) {
        return onnx("Unsqueeze", List.of(x, int64s("axes", axes)));
    }

    public String expand(String x, String shape) {
        return onnx("Expand", List.of(x, shape));
    }

    /** {@code Shape} restricted to dimensions [start, end). */
    public String shape(String x, long start, long end) {
        return onnx("Shape", List.of(x), Attribute.of("start", start), Attribute.of("end", end));
    }

    public String slice(String x, long[] starts, long[] ends, long[] axes) {
        return onnx("Slice", List.of(x, int64s("starts", starts), int64s("ends", ends), int64s("axes", axes)));
    }

    public String argMax(String x, long axis, boolean keepDims) {
        return onnx("ArgMax", List.of(x), Attribute.of("axis", axis), Attribute.of("keepdims", keepDims ? 1L : 0L));
    }

    /** 2-D convolution without padding or dilation; {@code bias} may be null. */
    public String conv(String x, String w, String bias, long[] kernel, long[] strides) {
        List<String> in = bias == null ? List.of(x, w) : List.of(x, w, bias);
        return onnx("Conv", in, Attribute.ints("kernel_shape", kernel), Attribute.ints("strides", strides));
    }

    /**
     * 2-D convolution with symmetric zero padding and groups; {@code bias} may be null.
     *
     * @param pad    zero padding on every side
     * @param groups channel groups (1 = dense, channels = depthwise)
     */
    public String conv(String x, String w, String bias, long kernel, long stride, long pad, long groups) {
        List<String> in = bias == null ? List.of(x, w) : List.of(x, w, bias);
        return onnx(
                "Conv",
                in,
                Attribute.ints("kernel_shape", kernel, kernel),
                Attribute.ints("strides", stride, stride),
                Attribute.ints("pads", pad, pad, pad, pad),
                Attribute.of("group", groups));
    }

    /** Max pooling over square windows with symmetric padding (padding never wins the max). */
    public String maxPool(String x, long kernel, long stride, long pad) {
        return onnx(
                "MaxPool",
                List.of(x),
                Attribute.ints("kernel_shape", kernel, kernel),
                Attribute.ints("strides", stride, stride),
                Attribute.ints("pads", pad, pad, pad, pad));
    }

    /** Average pooling over square windows without padding. */
    public String averagePool(String x, long kernel, long stride) {
        return onnx(
                "AveragePool",
                List.of(x),
                Attribute.ints("kernel_shape", kernel, kernel),
                Attribute.ints("strides", stride, stride));
    }

    /** Nearest-neighbour resize by the given per-axis scales (e.g. {1, 1, 2, 2} doubles H and W). */
    public String resizeNearest(String x, float... scales) {
        String s = floats("scales", new long[] {scales.length}, scales);
        return onnx("Resize", List.of(x, "", s), Attribute.of("mode", "nearest"));
    }

    public String div(String a, String b) {
        return onnx("Div", List.of(a, b));
    }

    /** ReduceMax over {@code axes} keeping them as size-1 axes. */
    public String reduceMaxKeep(String x, long... axes) {
        return onnx("ReduceMax", List.of(x), Attribute.ints("axes", axes), Attribute.of("keepdims", 1L));
    }

    /** Element-wise cast to another element type. */
    public String cast(String x, ElementType to) {
        return onnx("Cast", List.of(x), Attribute.of("to", (long) to.code()));
    }

    /** Gives a value a stable name (an Identity node), e.g. for graph outputs. */
    public String identity(String x, String name) {
        nodes.add(new Node("Identity", "", fresh("Identity"), List.of(x), List.of(name), List.of()));
        return name;
    }

    // ---- build --------------------------------------------------------------------------------

    /** The finished model; weights become data-less placeholder initializers (see {@link OnnxModel}). */
    public OnnxModel build() {
        return new OnnxModel(graphName, nodes, constants, inputs, weights, outputs, storedShapes, opsets, metadata);
    }

    private String fresh(String hint) {
        int n = counters.merge(hint, 1, Integer::sum);
        return hint + "_" + n;
    }
}
