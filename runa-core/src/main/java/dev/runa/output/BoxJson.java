package dev.runa.output;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.data.Box;
import dev.runa.ood.BoxResult;
import dev.runa.ood.PixelBox;
import dev.runa.ood.ScoreKind;

/**
 * The per-box part of every JSON output, in one place so that the front ends agree to the last
 * digit: {@code "box": [x1, y1, x2, y2], "scores": {maxsim, mcm_t1, mcm_t0.01, sum, energy_t0.01}
 * | null, "ood": true|false|null, "best_class", "crop": [l, t, r, b] | null, "error"}. Used by
 * {@link JsonLinesFormat} ({@code runa score}) and by the HTTP service. Stateless.
 */
public final class BoxJson {
    private BoxJson() {}

    /**
     * Appends the box fields, in the order above, to {@code node}.
     *
     * @param box       the box as requested
     * @param result    its scores, decision, crop or error
     * @param bestClass label of the most similar ID class, or null when unscored
     */
    public static void write(ObjectNode node, Box box, BoxResult result, String bestClass) {
        node.putArray("box").add(box.x1()).add(box.y1()).add(box.x2()).add(box.y2());
        if (result.scores() == null) {
            node.putNull("scores");
        } else {
            ObjectNode s = node.putObject("scores");
            for (ScoreKind k : ScoreKind.values()) {
                s.put(k.key(), result.scores().get(k));
            }
        }
        if (result.ood() == null) {
            node.putNull("ood");
        } else {
            node.put("ood", result.ood());
        }
        node.put("best_class", bestClass);
        PixelBox c = result.crop();
        if (c == null) {
            node.putNull("crop");
        } else {
            node.putArray("crop").add(c.left()).add(c.top()).add(c.right()).add(c.bottom());
        }
        node.put("error", result.error());
    }
}
