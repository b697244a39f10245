package dev.runa.detect;

import dev.runa.data.Box;

/**
 * One object a detector found.
 *
 * @param box        pixel xyxy box in the source image (float32 values widened to double)
 * @param classIndex the detector's class index (for torchvision graphs: its label id)
 * @param label      the detector's name for the class ({@code "class N"} when the model has no names)
 * @param score      the detector's confidence
 */
public record DetectedObject(Box box, int classIndex, String label, float score) {}
