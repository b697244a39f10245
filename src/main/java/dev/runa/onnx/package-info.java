/**
 * A small ONNX protobuf writer and graph-building helpers (opset 17).
 */
package dev.runa.onnx;
