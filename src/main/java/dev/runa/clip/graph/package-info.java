/**
 * Builds the ONNX graphs of CLIP's vision and text encoders from a configuration and its weights.
 */
package dev.runa.clip.graph;
