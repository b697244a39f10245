package dev.runa.clip.graph;

import dev.runa.onnx.OnnxModel;
import java.util.List;
import java.util.Map;

/**
 * A generated encoder graph with what a session needs besides the checkpoint: the weights derived
 * from checkpoint tensors at build time, and the names of any calibration-statistics outputs.
 *
 * @param model   the ONNX model; every external weight is a checkpoint tensor or a key of {@code derived}
 * @param derived weights computed at session build (new off-heap memory; see {@link #derivedBytes()})
 * @param statistics names of the per-layer max-|activation| outputs, in the order
 *                   ln1, ctx, ln2, mlp for layer 0, then layer 1, ...; empty unless requested
 */
public record EncoderGraph(OnnxModel model, Map<String, DerivedWeight> derived, List<String> statistics) {
    public EncoderGraph {
        derived = Map.copyOf(derived);
        statistics = List.copyOf(statistics);
    }

    /** Off-heap bytes the derived weights take (e.g. ~85 MB for ViT-B/16's fused fp32 QKV matrices). */
    public long derivedBytes() {
        return derived.values().stream().mapToLong(DerivedWeight::bytes).sum();
    }
}
