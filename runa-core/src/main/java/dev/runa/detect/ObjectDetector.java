package dev.runa.detect;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import dev.runa.image.PixelImage;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * An ONNX object detector (Ultralytics YOLOv5/v8/11, end-to-end YOLOv10-style, RT-DETR, torchvision;
 * see {@link DetectorFormat}) on the same ONNX Runtime as CLIP: image in, boxes with class and
 * confidence out, with Ultralytics' preprocessing ({@link Letterbox}) and post-processing
 * ({@link OutputDecoder}, {@link Nms}) in Java.
 *
 * <p>Thread-safe: {@link #detect} may run from several threads at once ({@code OrtSession.run} is).
 * Owns its ORT session; close it once when done.
 */
public final class ObjectDetector implements AutoCloseable {
    private final String source;
    private final DetectorGraph graph;
    private final DetectorOptions options;
    private final OrtSession.SessionOptions sessionOptions;
    private final OrtSession session;

    private ObjectDetector(
            String source,
            DetectorGraph graph,
            DetectorOptions options,
            OrtSession.SessionOptions sessionOptions,
            OrtSession session) {
        this.source = source;
        this.graph = graph;
        this.options = options;
        this.sessionOptions = sessionOptions;
        this.session = session;
    }

    /**
     * Loads a detector model file.
     *
     * @throws IOException       when the file cannot be read
     * @throws DetectorException when it is not an ONNX model ONNX Runtime accepts, or its inputs and
     *                           outputs are not a supported detector's (the message names the file)
     */
    public static ObjectDetector open(Path file, DetectorOptions options) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(file.toString());
        }
        return open(Files.readAllBytes(file), file.toString(), options);
    }

    /** Like {@link #open(Path, DetectorOptions)} for model bytes; {@code source} names them in messages. */
    public static ObjectDetector open(byte[] model, String source, DetectorOptions options) {
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        OrtSession.SessionOptions so = new OrtSession.SessionOptions();
        OrtSession session = null;
        try {
            so.setIntraOpNumThreads(options.threads());
            so.setInterOpNumThreads(1);
            so.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            try {
                session = env.createSession(model, so);
            } catch (OrtException e) {
                throw new DetectorException(
                        source + ": not an ONNX model ONNX Runtime can load (" + firstLine(e.getMessage()) + ")", e);
            }
            DetectorGraph graph = DetectorGraph.recognise(
                    source,
                    declared(session.getInputInfo()),
                    declared(session.getOutputInfo()),
                    session.getMetadata().getCustomMetadata(),
                    options.format());
            return new ObjectDetector(source, graph, options, so, session);
        } catch (OrtException | RuntimeException e) {
            try {
                if (session != null) {
                    session.close();
                }
            } catch (OrtException ignored) {
                // Already failing; the first error is the one to report.
            }
            so.close();
            if (e instanceof RuntimeException re) {
                throw re;
            }
            throw new DetectorException(source + ": reading the graph failed: " + e.getMessage(), e);
        }
    }

    private static List<DetectorGraph.Tensor> declared(Map<String, NodeInfo> infos) {
        List<DetectorGraph.Tensor> out = new ArrayList<>();
        for (NodeInfo n : infos.values()) {
            long[] shape = n.getInfo() instanceof TensorInfo t ? t.getShape() : new long[0];
            out.add(new DetectorGraph.Tensor(n.getName(), shape));
        }
        return out;
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "no details";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    /** What the graph was recognised as (format, input size, class names). */
    public DetectorGraph graph() {
        return graph;
    }

    /** The options the detector filters with. */
    public DetectorOptions options() {
        return options;
    }

    /** The model's name in messages (its file). */
    public String source() {
        return source;
    }

    /**
     * Detects the objects of one image, best first (for NMS formats; model order otherwise).
     *
     * @throws DetectorException when the graph's output at run time does not have the declared layout
     */
    public List<DetectedObject> detect(PixelImage image) {
        PixelImage rgb = image.toRgb();
        try {
            if (graph.format() == DetectorFormat.TORCHVISION) {
                return detectTorchvision(rgb);
            }
            Letterbox box = new Letterbox(
                    rgb.width(),
                    rgb.height(),
                    graph.inputWidth(),
                    graph.inputHeight(),
                    graph.format() == DetectorFormat.RT_DETR);
            float[] input = box.tensor(rgb);
            long[] shape = {1, 3, graph.inputHeight(), graph.inputWidth()};
            OrtEnvironment env = OrtEnvironment.getEnvironment();
            try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                    OrtSession.Result r = session.run(Map.of(graph.inputName(), t))) {
                OnnxTensor out = tensor(r, graph.outputs().get(0), OnnxJavaType.FLOAT);
                long[] s = out.getInfo().getShape();
                if (s.length != 3 || s[0] != 1) {
                    throw new DetectorException(
                            source + ": output '" + graph.outputs().get(0) + "' came back as "
                                    + java.util.Arrays.toString(s) + ", expected [1, a, b]");
                }
                return OutputDecoder.decode(graph, options, floats(out), s, box);
            }
        } catch (OrtException e) {
            throw new DetectorException(source + ": ONNX Runtime failed on the image: " + firstLine(e.getMessage()), e);
        }
    }

    private List<DetectedObject> detectTorchvision(PixelImage rgb) throws OrtException {
        int w = rgb.width();
        int h = rgb.height();
        byte[] px = rgb.samples();
        float[] input = new float[3 * w * h];
        int plane = w * h;
        for (int i = 0; i < plane; i++) {
            for (int c = 0; c < 3; c++) {
                input[c * plane + i] = (px[i * 3 + c] & 0xff) / 255f;
            }
        }
        long[] shape = graph.inputRank() == 3 ? new long[] {3, h, w} : new long[] {1, 3, h, w};
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        try (OnnxTensor t = OnnxTensor.createTensor(env, FloatBuffer.wrap(input), shape);
                OrtSession.Result r = session.run(Map.of(graph.inputName(), t))) {
            float[] boxes = floats(tensor(r, "boxes", OnnxJavaType.FLOAT));
            float[] scores = floats(tensor(r, "scores", OnnxJavaType.FLOAT));
            OnnxTensor labelTensor = tensor(r, "labels", OnnxJavaType.INT64);
            LongBuffer lb = labelTensor.getLongBuffer();
            long[] labels = new long[lb.remaining()];
            lb.get(labels);
            if (boxes.length != 4 * scores.length || labels.length != scores.length) {
                throw new DetectorException(source + ": outputs disagree: " + boxes.length / 4 + " boxes, "
                        + labels.length + " labels, " + scores.length + " scores");
            }
            return OutputDecoder.decodeTorchvision(graph, options, boxes, labels, scores);
        }
    }

    private OnnxTensor tensor(OrtSession.Result r, String name, OnnxJavaType type) {
        OnnxValue v = r.get(name).orElseThrow(() -> new DetectorException(source + ": no output '" + name + "'"));
        if (!(v instanceof OnnxTensor t) || t.getInfo().type != type) {
            throw new DetectorException(source + ": output '" + name + "' is "
                    + (v instanceof OnnxTensor t2 ? t2.getInfo().type : v.getType()) + ", expected " + type
                    + (type == OnnxJavaType.FLOAT ? " (export in float32, not half precision)" : ""));
        }
        return t;
    }

    private static float[] floats(OnnxTensor t) {
        FloatBuffer fb = t.getFloatBuffer();
        float[] a = new float[fb.remaining()];
        fb.get(a);
        return a;
    }

    @Override
    public void close() {
        try {
            session.close();
        } catch (OrtException e) {
            throw new IllegalStateException(source + ": closing the ONNX Runtime session: " + e.getMessage(), e);
        } finally {
            sessionOptions.close();
        }
    }
}
