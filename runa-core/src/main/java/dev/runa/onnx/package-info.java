/**
 * A small ONNX protobuf writer and graph-building helpers (IR version 8, opset 17, plus
 * {@code com.microsoft} contrib ops where a graph uses them).
 *
 * <p>{@link dev.runa.onnx.GraphBuilder} assembles a graph one operator at a time;
 * {@link dev.runa.onnx.OnnxModel#toByteArray()} serialises it. Field numbers follow
 * {@code onnx/onnx.proto}. Weights are never written into the model: they are declared as
 * data-less placeholder initializers and handed to ONNX Runtime through
 * {@code SessionOptions.addInitializer} over the caller's direct buffers (no copy). ORT only
 * substitutes such tensors for initializers (a name declared as a graph input stays a run-time
 * input), and anything it can constant-fold on a weight would read (copy) it, so graphs must not
 * apply Reshape/Transpose/Conv re-layouts to weights; see {@link dev.runa.onnx.GraphBuilder#weightViewed}.
 */
package dev.runa.onnx;
