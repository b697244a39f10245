/**
 * Object detectors in the loop: ONNX detectors (Ultralytics YOLOv5/v8/11, end-to-end exports,
 * RT-DETR, torchvision) run on ONNX Runtime with Ultralytics' letterbox and post-processing in Java
 * ({@link dev.runa.detect.ObjectDetector}), and {@link dev.runa.detect.DetectAndScore}, which streams
 * images through detection and then RUNA, decoding each image once. Depends on {@code image},
 * {@code data}, {@code io}, {@code ood} and {@code batch}; front ends (CLI, service, Spark) call it.
 */
package dev.runa.detect;
