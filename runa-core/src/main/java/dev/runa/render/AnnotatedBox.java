package dev.runa.render;

import dev.runa.data.Box;
import dev.runa.ood.BoxResult;
import dev.runa.ood.ScoreKind;
import java.util.Locale;

/**
 * One box to draw.
 *
 * @param box     pixel xyxy box as requested
 * @param ood     true OOD (red), false ID (green), null no decision (grey)
 * @param caption text next to the box (e.g. "person 0.271"); may be empty
 */
public record AnnotatedBox(Box box, Boolean ood, String caption) {

    /**
     * A scored box drawn with its decision and caption {@code "NAME SCORE"} ({@code score} the given
     * kind), or {@code "NAME error"} when it could not be scored.
     */
    public static AnnotatedBox of(BoxResult result, String name, ScoreKind score) {
        String n = name == null ? "" : name + " ";
        String caption = result.scores() == null
                ? n + "error"
                : n + String.format(Locale.ROOT, "%.3f", result.scores().get(score));
        return new AnnotatedBox(result.box(), result.ood(), caption);
    }
}
