package dev.runa.server;

import dev.runa.detect.ObjectDetector;
import dev.runa.options.DetectorDecodingOptions;
import java.io.IOException;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The object detector of {@code runa serve}: {@code --detector} and the detector options of
 * {@code runa detect} ({@link DetectorDecodingOptions}, shared with every front end), so that
 * {@code POST /v1/detect} finds the boxes {@code runa detect} finds.
 */
final class ObjectDetectorOptions {
    @Option(
            names = "--detector",
            paramLabel = "F",
            description = "An ONNX object detector (YOLOv5/v8/11, end-to-end, RT-DETR, torchvision): enables POST"
                    + " /v1/detect and the inspector's Detect; --classes then defaults to its class names")
    Path detector;

    @Mixin
    DetectorDecodingOptions decoding = new DetectorDecodingOptions();

    /** Refuses detector options given without {@code --detector}: they would silently do nothing. */
    void check(ParseResult given) {
        if (detector != null || given == null) {
            return;
        }
        for (String name : DetectorDecodingOptions.NAMES) {
            if (given.hasMatchedOption(name)) {
                throw new IllegalArgumentException(name + " sets up the object detector: it needs --detector F");
            }
        }
    }

    /**
     * Opens the detector with these options and {@code threads} ONNX Runtime threads, as {@code runa
     * detect} does; null without {@code --detector}. The caller owns (closes) it.
     */
    ObjectDetector open(int threads) throws IOException {
        if (detector == null) {
            return null;
        }
        return ObjectDetector.open(detector, decoding.settings(threads));
    }
}
