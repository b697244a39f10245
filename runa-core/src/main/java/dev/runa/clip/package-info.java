/**
 * CLIP in the JVM: configuration, encoders on ONNX Runtime, preprocessing. Depends on {@code onnx}, {@code image}, {@code tensor}.
 */
package dev.runa.clip;
