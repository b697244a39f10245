package dev.runa.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Models written by {@link GraphBuilder} load and compute correctly in ONNX Runtime. */
class OnnxModelOrtTest {

    private static FloatBuffer direct(float... v) {
        FloatBuffer b = ByteBuffer.allocateDirect(v.length * 4)
                .order(ByteOrder.nativeOrder())
                .asFloatBuffer();
        b.put(v).rewind();
        return b;
    }

    @Test
    void sharedInitializerDeclaredAsInputFeedsGemmWithDynamicBatch() throws Exception {
        GraphBuilder g = new GraphBuilder("t");
        String x = g.input("x", ElementType.FLOAT, Dim.symbolic("batch"), Dim.of(3));
        String w = g.weight("w", 2, 3);
        String b = g.weight("b", 2);
        String y = g.gemm(x, w, b, false, true);
        String z = g.layerNorm(
                g.identity(y, "y"), g.floats("s", new long[] {2}, 1f, 1f), g.floats("o", new long[] {2}, 0f, 0f), 1e-5);
        g.identity(z, "z");
        g.output("y", ElementType.FLOAT, Dim.symbolic("batch"), Dim.of(2));
        g.output("z", ElementType.FLOAT, Dim.symbolic("batch"), Dim.of(2));
        byte[] model = g.build().toByteArray();

        OrtEnvironment env = OrtEnvironment.getEnvironment();
        // W = [[1,2,3],[4,5,6]] as PyTorch stores Linear weights: [out, in].
        try (OnnxTensor wt = OnnxTensor.createTensor(env, direct(1, 2, 3, 4, 5, 6), new long[] {2, 3});
                OnnxTensor bt = OnnxTensor.createTensor(env, direct(0.5f, -1), new long[] {2});
                OrtSession.SessionOptions so = new OrtSession.SessionOptions()) {
            so.addInitializer("w", wt);
            so.addInitializer("b", bt);
            try (OrtSession s = env.createSession(model, so);
                    OnnxTensor xt = OnnxTensor.createTensor(env, new float[][] {{1, 0, 0}, {1, 1, 1}});
                    OrtSession.Result r = s.run(Map.of("x", xt))) {
                float[][] out = (float[][]) r.get("y").orElseThrow().getValue();
                assertArrayEquals(new float[] {1.5f, 3f}, out[0]);
                assertArrayEquals(new float[] {6.5f, 14f}, out[1]);
                assertEquals(1, s.getInputNames().size(), "weights must not remain run-time inputs");
            }
        }
    }
}
