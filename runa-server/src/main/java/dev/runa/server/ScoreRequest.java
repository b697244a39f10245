package dev.runa.server;

import dev.runa.data.Box;
import java.util.List;

/**
 * One parsed {@code POST /v1/score}: the encoded image and the boxes to score, in request order.
 *
 * @param image the image file's bytes (not yet decoded)
 * @param boxes pixel boxes, possibly degenerate (those are answered per box, not refused)
 */
record ScoreRequest(byte[] image, List<Box> boxes) {
    ScoreRequest {
        boxes = List.copyOf(boxes);
    }
}
