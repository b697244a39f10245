package dev.runa.clip;

import dev.runa.settings.SettingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Arithmetic of the vision encoder's large matrix products (the text encoder always runs fp32: it
 * runs once per prompt, not per box).
 */
public enum Precision {
    /** float32 everywhere: the numerical reference and the default. */
    FP32,
    /**
     * int8 weights (per output channel, symmetric, quantized in Java when the session is built, after
     * SmoothQuant scaling from calibration statistics) and activations quantized per tensor at run
     * time: the QKV product and attention core as one {@code com.microsoft:QAttention}, out_proj, fc1
     * and fc2 as {@code com.microsoft:DynamicQuantizeMatMul}; patch embedding, LayerNorms and the
     * projection stay fp32. Because the activation scale is taken over the whole run batch, one
     * image's output changes slightly with the other images sharing its batch.
     */
    INT8,
    /** {@link #INT8} where the CPU has 8-bit dot-product instructions (AVX-512 VNNI or AVX-VNNI), else {@link #FP32}. */
    AUTO;

    /** This precision with {@link #AUTO} decided for the CPU this process runs on. */
    public Precision resolve() {
        if (this != AUTO) {
            return this;
        }
        return cpuHasVnni() ? INT8 : FP32;
    }

    /** Parses {@code fp32|int8|auto} (any case). */
    public static Precision parse(String text) {
        try {
            return valueOf(text.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw SettingException.of("precision", "unknown value '" + text + "' (known: fp32, int8, auto)");
        }
    }

    /**
     * True when /proc/cpuinfo lists avx512_vnni or avx_vnni: without them ORT's u8s8 kernels gain
     * little over fp32 and int8 would cost accuracy for nothing.
     */
    static boolean cpuHasVnni() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return line.contains(" avx512_vnni") || line.contains(" avx_vnni");
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }
}
