/**
 * Tensor values shared by the checkpoint readers and the ONNX graph: element types, views over off-heap bytes.
 */
package dev.runa.tensor;
