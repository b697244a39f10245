package dev.runa.clip;

import dev.runa.clip.checkpoint.WeightSource;
import dev.runa.tensor.Float16;
import java.nio.FloatBuffer;

/**
 * A deliberately plain double-precision CLIP forward pass written from OpenAI's model.py, one image
 * or one text at a time: the independent reference for the ONNX graphs (public for other packages'
 * and modules' tests, through the test-jar).
 */
public final class ReferenceClip {
    private final ClipConfig config;
    private final WeightSource w;
    private final boolean fp16Weights;
    private final boolean fp16Activations;

    public ReferenceClip(ClipConfig config, WeightSource weights) {
        this(config, weights, false, false);
    }

    private ReferenceClip(ClipConfig config, WeightSource weights, boolean fp16Weights, boolean fp16Activations) {
        this.config = config;
        this.w = weights;
        this.fp16Weights = fp16Weights;
        this.fp16Activations = fp16Activations;
    }

    /**
     * The forward with every weight rounded to fp16 (as OpenAI's released checkpoints are stored),
     * computed in double: the baseline of {@link #fp16Storage}.
     */
    public static ReferenceClip fp16Weights(ClipConfig config, WeightSource weights) {
        return new ReferenceClip(config, weights, true, false);
    }

    /**
     * A simulation of PyTorch running CLIP in fp16 on a GPU: weights rounded to fp16, and every
     * tensor an operation produces (pixels cast in, embeddings, LayerNorm outputs, each linear
     * layer's output, attention scores, softmax weights and context, both QuickGELU factors and
     * its product, every residual sum) rounded to fp16; sums inside an operation stay exact (fp32
     * accumulation on tensor cores, double here), as LayerNorm's and softmax's internals do.
     */
    public static ReferenceClip fp16Storage(ClipConfig config, WeightSource weights) {
        return new ReferenceClip(config, weights, true, true);
    }

    private double h(double v) {
        return fp16Activations ? Float16.toFloat(Float16.fromFloat((float) v)) : v;
    }

    private double[][] h(double[][] x) {
        if (fp16Activations) {
            for (double[] row : x) {
                for (int i = 0; i < row.length; i++) {
                    row[i] = h(row[i]);
                }
            }
        }
        return x;
    }

    /** Returns {pooled, embedding} for one image [3, n, n]. */
    public double[][] vision(float[] pixels) {
        ClipConfig.Vision v = config.vision();
        int d = v.width();
        int p = v.patchSize();
        int n = v.imageSize();
        int grid = v.gridSize();
        int seq = v.sequenceLength();
        String pre = "vision_model";
        double[] conv = get(pre + ".embeddings.patch_embedding.weight");
        double[] cls = get(pre + ".embeddings.class_embedding");
        double[] pos = get(pre + ".embeddings.position_embedding.weight");
        double[][] x = new double[seq][d];
        for (int o = 0; o < d; o++) {
            x[0][o] = cls[o];
        }
        for (int gy = 0; gy < grid; gy++) {
            for (int gx = 0; gx < grid; gx++) {
                int t = 1 + gy * grid + gx;
                for (int o = 0; o < d; o++) {
                    double s = 0;
                    for (int c = 0; c < 3; c++) {
                        for (int ky = 0; ky < p; ky++) {
                            for (int kx = 0; kx < p; kx++) {
                                s += conv[((o * 3 + c) * p + ky) * p + kx]
                                        * h(pixels[(c * n + gy * p + ky) * n + gx * p + kx]);
                            }
                        }
                    }
                    x[t][o] = h(s);
                }
            }
        }
        for (int t = 0; t < seq; t++) {
            for (int o = 0; o < d; o++) {
                x[t][o] = h(x[t][o] + pos[t * d + o]);
            }
        }
        x = layerNorm(x, pre + ".pre_layrnorm", v.layerNormEps());
        for (int l = 0; l < v.layers(); l++) {
            x = block(x, pre + ".encoder.layers." + l, v.heads(), v.layerNormEps(), false);
        }
        double[] pooled = layerNorm(new double[][] {x[0]}, pre + ".post_layernorm", v.layerNormEps())[0];
        return new double[][] {pooled, h(linear(new double[][] {pooled}, "visual_projection", false))[0]};
    }

    /** Returns {pooled, embedding} for one token sequence. */
    public double[][] text(int[] ids) {
        ClipConfig.Text t = config.text();
        int d = t.width();
        String pre = "text_model";
        double[] tok = get(pre + ".embeddings.token_embedding.weight");
        double[] pos = get(pre + ".embeddings.position_embedding.weight");
        double[][] x = new double[ids.length][d];
        int eot = 0;
        for (int i = 0; i < ids.length; i++) {
            for (int o = 0; o < d; o++) {
                x[i][o] = h(tok[ids[i] * d + o] + pos[i * d + o]);
            }
            if (ids[i] > ids[eot]) {
                eot = i;
            }
        }
        for (int l = 0; l < t.layers(); l++) {
            x = block(x, pre + ".encoder.layers." + l, t.heads(), t.layerNormEps(), true);
        }
        double[] pooled = layerNorm(x, pre + ".final_layer_norm", t.layerNormEps())[eot];
        return new double[][] {pooled, h(linear(new double[][] {pooled}, "text_projection", false))[0]};
    }

    private double[][] block(double[][] x, String p, int heads, double eps, boolean causal) {
        int s = x.length;
        int d = x[0].length;
        int hd = d / heads;
        double[][] h = layerNorm(x, p + ".layer_norm1", eps);
        double[][] q = linear(h, p + ".self_attn.q_proj", true);
        double[][] k = linear(h, p + ".self_attn.k_proj", true);
        double[][] v = linear(h, p + ".self_attn.v_proj", true);
        double[][] ctx = new double[s][d];
        for (int hh = 0; hh < heads; hh++) {
            for (int i = 0; i < s; i++) {
                double[] sc = new double[s];
                double max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < s; j++) {
                    if (causal && j > i) {
                        sc[j] = Double.NEGATIVE_INFINITY;
                        continue;
                    }
                    double dot = 0;
                    for (int c = 0; c < hd; c++) {
                        dot += q[i][hh * hd + c] * k[j][hh * hd + c];
                    }
                    sc[j] = h(dot / Math.sqrt(hd));
                    max = Math.max(max, sc[j]);
                }
                double sum = 0;
                for (int j = 0; j < s; j++) {
                    sc[j] = Math.exp(sc[j] - max);
                    sum += sc[j];
                }
                for (int j = 0; j < s; j++) {
                    double weight = h(sc[j] / sum);
                    for (int c = 0; c < hd; c++) {
                        ctx[i][hh * hd + c] += weight * v[j][hh * hd + c];
                    }
                }
            }
        }
        double[][] a = linear(h(ctx), p + ".self_attn.out_proj", true);
        for (int i = 0; i < s; i++) {
            for (int c = 0; c < d; c++) {
                a[i][c] = h(a[i][c] + x[i][c]);
            }
        }
        double[][] f = linear(layerNorm(a, p + ".layer_norm2", eps), p + ".mlp.fc1", true);
        for (double[] row : f) {
            for (int c = 0; c < row.length; c++) {
                row[c] = h(row[c] * h(1 / (1 + Math.exp(-h(1.702 * row[c])))));
            }
        }
        double[][] m = linear(f, p + ".mlp.fc2", true);
        for (int i = 0; i < s; i++) {
            for (int c = 0; c < d; c++) {
                m[i][c] = h(m[i][c] + a[i][c]);
            }
        }
        return m;
    }

    private double[][] linear(double[][] x, String name, boolean bias) {
        double[] wt = get(name + ".weight");
        double[] b = bias ? get(name + ".bias") : null;
        int in = x[0].length;
        int out = wt.length / in;
        double[][] y = new double[x.length][out];
        for (int r = 0; r < x.length; r++) {
            for (int o = 0; o < out; o++) {
                double s = b == null ? 0 : b[o];
                for (int i = 0; i < in; i++) {
                    s += wt[o * in + i] * x[r][i];
                }
                y[r][o] = h(s);
            }
        }
        return y;
    }

    private double[][] layerNorm(double[][] x, String name, double eps) {
        double[] g = get(name + ".weight");
        double[] b = get(name + ".bias");
        double[][] y = new double[x.length][];
        for (int r = 0; r < x.length; r++) {
            int d = x[r].length;
            double mean = 0;
            for (double v : x[r]) {
                mean += v;
            }
            mean /= d;
            double var = 0;
            for (double v : x[r]) {
                var += (v - mean) * (v - mean);
            }
            var /= d;
            y[r] = new double[d];
            for (int c = 0; c < d; c++) {
                y[r][c] = h((x[r][c] - mean) / Math.sqrt(var + eps) * g[c] + b[c]);
            }
        }
        return y;
    }

    private double[] get(String name) {
        FloatBuffer f = w.tensor(name).asFloats();
        double[] out = new double[f.remaining()];
        for (int i = 0; i < out.length; i++) {
            out[i] = fp16Weights ? Float16.toFloat(Float16.fromFloat(f.get(i))) : f.get(i);
        }
        return out;
    }
}
