package dev.runa.cli;

import dev.runa.onnx.Dim;
import dev.runa.onnx.ElementType;
import dev.runa.onnx.GraphBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A detector graph with YOLOv8n's layer shapes and random weights, for benchmarks: the v8n conv
 * stack (width 0.25, depth 0.33: Conv/C2f backbone 16-32-64-128-256 channels, SPPF, the PAN neck
 * with nearest upsampling, and the decoupled head with 64-channel box and 80-channel class
 * branches per level, DFL over 16 bins, anchors and strides 8/16/32) at 640 x 640, giving the
 * raw {@code [1, 84, 8400]} output an Ultralytics export gives. BatchNorm is folded into conv
 * biases (as exports do); activations are SiLU. About 3.2 M weights stored inline in the model.
 * The weights are He-normal random, the class biases set so that a few anchors pass the default
 * confidence, so the output is meaningless but costs what a real v8n/11n-sized export costs.
 */
final class YoloShapedGraph {
    private static final int NC = 80;
    private static final int REG_MAX = 16;

    private final GraphBuilder g = new GraphBuilder("yolov8n-shaped");
    private final Random rnd;
    private long params;

    private YoloShapedGraph(long seed) {
        this.rnd = new Random(seed);
    }

    /** The serialised model for a {@code size x size} input; {@code [0]} bytes, weights count via {@link #weights}. */
    static byte[] build(int size, long seed) {
        return new YoloShapedGraph(seed).graph(size);
    }

    /** Weights in the graph {@link #build} makes (for the benchmark's description). */
    static long weights(int size) {
        YoloShapedGraph y = new YoloShapedGraph(0);
        y.graph(size);
        return y.params;
    }

    private byte[] graph(int size) {
        String x = g.input("images", ElementType.FLOAT, Dim.of(1), Dim.of(3), Dim.of(size), Dim.of(size));
        String b0 = conv(x, 3, 16, 3, 2);
        String b1 = conv(b0, 16, 32, 3, 2);
        String b2 = c2f(b1, 32, 32, 1, true);
        String b3 = conv(b2, 32, 64, 3, 2);
        String p3 = c2f(b3, 64, 64, 2, true);
        String b5 = conv(p3, 64, 128, 3, 2);
        String p4 = c2f(b5, 128, 128, 2, true);
        String b7 = conv(p4, 128, 256, 3, 2);
        String b8 = c2f(b7, 256, 256, 1, true);
        String p5 = sppf(b8, 256, 256);
        String n12 = c2f(g.concat(1, g.resizeNearest(p5, 1, 1, 2, 2), p4), 384, 128, 1, false);
        String n15 = c2f(g.concat(1, g.resizeNearest(n12, 1, 1, 2, 2), p3), 192, 64, 1, false);
        String n18 = c2f(g.concat(1, conv(n15, 64, 64, 3, 2), n12), 192, 128, 1, false);
        String n21 = c2f(g.concat(1, conv(n18, 128, 128, 3, 2), p5), 384, 256, 1, false);
        String[] levels = {n15, n18, n21};
        int[] channels = {64, 128, 256};
        int[] strides = {8, 16, 32};
        List<String> boxes = new ArrayList<>();
        List<String> classes = new ArrayList<>();
        int anchors = 0;
        for (int l = 0; l < 3; l++) {
            int side = size / strides[l];
            int a = side * side;
            anchors += a;
            String box = conv2d(conv(conv(levels[l], channels[l], 64, 3, 1), 64, 64, 3, 1), 64, 4 * REG_MAX, 1, 0f);
            String cls = conv2d(conv(conv(levels[l], channels[l], 80, 3, 1), 80, 80, 3, 1), 80, NC, 1, -1.12f);
            boxes.add(g.reshape(box, 1, 4 * REG_MAX, a));
            classes.add(g.reshape(cls, 1, NC, a));
        }
        String box = g.concat(2, boxes.toArray(String[]::new)); // [1, 64, A]
        String cls = g.sigmoid(g.concat(2, classes.toArray(String[]::new))); // [1, 80, A]
        // DFL: softmax over 16 bins, expectation of the bin index.
        String bins = g.softmax(g.reshape(box, 1, 4, REG_MAX, anchors), 2);
        float[] idx = new float[REG_MAX];
        for (int i = 0; i < REG_MAX; i++) {
            idx[i] = i;
        }
        String dist = g.reshape(
                g.matMul(g.transpose(bins, 0, 1, 3, 2), g.floats("dfl", new long[] {REG_MAX, 1}, idx)), 1, 4, anchors);
        List<String> lt_rb = g.split(dist, 1, 2);
        float[] anc = new float[2 * anchors];
        float[] str = new float[anchors];
        int k = 0;
        for (int l = 0; l < 3; l++) {
            int side = size / strides[l];
            for (int yy = 0; yy < side; yy++) {
                for (int xx = 0; xx < side; xx++) {
                    anc[k] = xx + 0.5f;
                    anc[anchors + k] = yy + 0.5f;
                    str[k] = strides[l];
                    k++;
                }
            }
        }
        String anchor = g.floats("anchors", new long[] {1, 2, anchors}, anc);
        String x1y1 = g.sub(anchor, lt_rb.get(0));
        String x2y2 = g.add(anchor, lt_rb.get(1));
        String c = g.mul(g.add(x1y1, x2y2), g.floatScalar("half", 0.5f));
        String wh = g.sub(x2y2, x1y1);
        String xywh = g.mul(g.concat(1, c, wh), g.floats("strides", new long[] {1, 1, anchors}, str));
        g.identity(g.concat(1, xywh, cls), "output0");
        g.output("output0", ElementType.FLOAT, Dim.of(1), Dim.of(4 + NC), Dim.of(anchors));
        StringBuilder names = new StringBuilder("{");
        for (int i = 0; i < NC; i++) {
            names.append(i == 0 ? "" : ", ")
                    .append(i)
                    .append(": 'class")
                    .append(i)
                    .append("'");
        }
        g.metadata("names", names.append('}').toString());
        g.metadata("description", "random-weight YOLOv8n-shaped benchmark graph");
        return g.build().toByteArray();
    }

    // Conv (BN folded into the bias) + SiLU, 'same' padding.
    private String conv(String x, int cin, int cout, int k, int stride) {
        String y = conv2d(x, cin, cout, k, 0f, stride);
        return g.mul(y, g.sigmoid(y));
    }

    private String conv2d(String x, int cin, int cout, int k, float bias) {
        return conv2d(x, cin, cout, k, bias, 1);
    }

    private String conv2d(String x, int cin, int cout, int k, float bias, int stride) {
        float[] w = new float[cout * cin * k * k];
        double std = Math.sqrt(2.0 / (cin * k * k));
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (rnd.nextGaussian() * std);
        }
        float[] b = new float[cout];
        java.util.Arrays.fill(b, bias);
        params += w.length + b.length;
        String wn = g.floats("w", new long[] {cout, cin, k, k}, w);
        String bn = g.floats("b", new long[] {cout}, b);
        return g.conv(x, wn, bn, k, stride, k / 2, 1);
    }

    private String c2f(String x, int cin, int cout, int n, boolean shortcut) {
        int c = cout / 2;
        List<String> parts = new ArrayList<>(g.split(conv(x, cin, 2 * c, 1, 1), 1, 2));
        String y = parts.get(1);
        for (int i = 0; i < n; i++) {
            String z = conv(conv(y, c, c, 3, 1), c, c, 3, 1);
            y = shortcut ? g.add(y, z) : z;
            parts.add(y);
        }
        return conv(g.concat(1, parts.toArray(String[]::new)), (2 + n) * c, cout, 1, 1);
    }

    private String sppf(String x, int cin, int cout) {
        int c = cin / 2;
        String a = conv(x, cin, c, 1, 1);
        String p1 = g.maxPool(a, 5, 1, 2);
        String p2 = g.maxPool(p1, 5, 1, 2);
        String p3 = g.maxPool(p2, 5, 1, 2);
        return conv(g.concat(1, a, p1, p2, p3), 4 * c, cout, 1, 1);
    }
}
