package dev.runa.clip;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.runa.clip.checkpoint.CheckpointException;
import dev.runa.clip.checkpoint.WeightSource;
import dev.runa.clip.graph.DerivedWeight;
import dev.runa.clip.graph.EncoderGraph;
import dev.runa.onnx.Dim;
import dev.runa.onnx.OnnxModel;
import dev.runa.onnx.ValueInfo;
import dev.runa.tensor.DType;
import dev.runa.tensor.TensorView;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * One ORT session over a generated graph whose weights are shared initializers wrapping the
 * weight source's buffers. Owns the session, its options and the initializer tensors (not the
 * weight source, which must stay open until this is closed). {@link #session()} is safe to run
 * from several threads at once, as {@code OrtSession.run} is.
 */
final class OrtGraphSession implements AutoCloseable {
    private final OrtSession.SessionOptions options;
    private final List<OnnxTensor> initializers;
    private final OrtSession session;
    private final boolean profiling;

    OrtGraphSession(OnnxModel model, WeightSource weights, EncoderOptions encoderOptions) {
        this(new EncoderGraph(model, Map.of(), List.of()), weights, encoderOptions);
    }

    /**
     * A session over {@code graph}: checkpoint weights are wrapped in place; derived weights are
     * computed now into new direct buffers that this session keeps until {@link #close()}.
     */
    OrtGraphSession(EncoderGraph graph, WeightSource weights, EncoderOptions encoderOptions) {
        OnnxModel model = graph.model();
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        List<OnnxTensor> tensors = new ArrayList<>();
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        try {
            so.setIntraOpNumThreads(encoderOptions.intraOpThreads());
            so.setInterOpNumThreads(1);
            so.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            if (!encoderOptions.prepacking()) {
                so.addConfigEntry("session.disable_prepacking", "1");
            }
            if (!encoderOptions.spinWait()) {
                so.addConfigEntry("session.intra_op.allow_spinning", "0");
            }
            OrtExperiments experiments = encoderOptions.experiments();
            for (Map.Entry<String, String> e : experiments.sessionConfig().entrySet()) {
                so.addConfigEntry(e.getKey(), e.getValue());
            }
            if (experiments.profiling()) {
                // ORT writes a Chrome-trace JSON per session (prefix + graph + timestamp); costs time per node.
                so.enableProfiling(experiments.profilePrefix() + "_" + model.graphName());
            }
            for (ValueInfo w : model.external()) {
                DerivedWeight d = graph.derived().get(w.name());
                OnnxTensor t = d != null
                        ? derived(env, weights, w, d)
                        : OnnxTensor.createTensor(env, floats(weights, w, model.storedShape(w)), shapeOf(w));
                tensors.add(t);
                so.addInitializer(w.name(), t);
            }
            this.session = env.createSession(model.toByteArray(), so);
        } catch (OrtException | RuntimeException e) {
            tensors.forEach(OnnxTensor::close);
            so.close();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(
                    "ONNX Runtime rejected the " + model.graphName() + " graph of " + weights.description() + ": "
                            + e.getMessage(),
                    e);
        }
        this.options = so;
        this.initializers = List.copyOf(tensors);
        this.profiling = encoderOptions.experiments().profiling();
    }

    OrtSession session() {
        return session;
    }

    /** Computes a derived weight into a new direct buffer and wraps it (no further copy). */
    private static OnnxTensor derived(OrtEnvironment env, WeightSource weights, ValueInfo w, DerivedWeight d)
            throws OrtException {
        ByteBuffer data = d.data().apply(weights);
        if (!data.isDirect() || data.remaining() != d.bytes()) {
            throw new IllegalStateException("derived weight '" + w.name() + "': " + data.remaining()
                    + " bytes, expected " + d.bytes() + " in a direct buffer");
        }
        return switch (d.type()) {
            case FLOAT ->
                OnnxTensor.createTensor(env, data.order(ByteOrder.nativeOrder()).asFloatBuffer(), shapeOf(w));
            case INT8 -> OnnxTensor.createTensor(env, data, shapeOf(w), OnnxJavaType.INT8);
            case UINT8 -> OnnxTensor.createTensor(env, data, shapeOf(w), OnnxJavaType.UINT8);
            default ->
                throw new IllegalStateException("derived weight '" + w.name() + "': unsupported type " + d.type());
        };
    }

    private static long[] shapeOf(ValueInfo w) {
        return w.shape().stream().mapToLong(Dim::value).toArray();
    }

    /**
     * The weight as a direct little-endian float buffer: a view of the source's memory for F32
     * (no copy), a one-off converted direct buffer for F16/BF16, never a heap array.
     */
    private static FloatBuffer floats(WeightSource weights, ValueInfo w, long[] expected) {
        if (!weights.contains(w.name())) {
            throw new CheckpointException(weights.description() + ": missing tensor '" + w.name() + "'");
        }
        TensorView t = weights.tensor(w.name());
        if (!Arrays.equals(t.shape(), expected)) {
            throw new CheckpointException(weights.description() + ": tensor '" + w.name() + "' has shape "
                    + Arrays.toString(t.shape()) + ", the configuration needs " + Arrays.toString(expected));
        }
        if (!t.dtype().isFloatingPoint()) {
            throw new CheckpointException(weights.description() + ": tensor '" + w.name() + "' has dtype " + t.dtype()
                    + ", expected a floating-point type");
        }
        FloatBuffer f = t.asFloats();
        if (t.dtype() == DType.F32 && (!f.isDirect() || f.order() != ByteOrder.nativeOrder())) {
            // ORT would copy a heap or byte-swapped buffer itself; make that single copy direct.
            FloatBuffer copy = ByteBuffer.allocateDirect(Math.toIntExact(t.numel() * 4))
                    .order(ByteOrder.nativeOrder())
                    .asFloatBuffer();
            copy.put(f).rewind();
            return copy;
        }
        return f;
    }

    @Override
    public void close() {
        try {
            if (profiling) {
                session.endProfiling();
            }
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException("closing ONNX Runtime session: " + e.getMessage(), e);
        } finally {
            initializers.forEach(OnnxTensor::close);
            options.close();
        }
    }
}
