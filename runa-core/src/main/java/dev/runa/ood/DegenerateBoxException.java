package dev.runa.ood;

import java.util.Locale;

/**
 * A detector box from which no view can be made. Callers processing many boxes catch it, report
 * the box with {@link #reason()} and go on with the next one.
 */
public class DegenerateBoxException extends RuntimeException {
    /** Why the box is unusable. */
    public enum Reason {
        /** A coordinate is NaN or infinite. */
        NOT_FINITE("box coordinate not finite"),
        /** {@code x2 <= x1} or {@code y2 <= y1}. */
        NO_AREA("box has no area"),
        /** The box lies entirely outside the image. */
        OUTSIDE_IMAGE("box outside the image");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        /** A short phrase for summaries. */
        public String label() {
            return label;
        }
    }

    private final Reason reason;

    DegenerateBoxException(Reason reason, double x1, double y1, double x2, double y2, int width, int height) {
        super(String.format(
                Locale.ROOT,
                "box (%s, %s, %s, %s) on a %dx%d image: %s",
                x1,
                y1,
                x2,
                y2,
                width,
                height,
                switch (reason) {
                    case NOT_FINITE -> "a coordinate is not a finite number";
                    case NO_AREA -> "zero or negative area (x2 <= x1 or y2 <= y1)";
                    case OUTSIDE_IMAGE -> "entirely outside the image";
                }));
        this.reason = reason;
    }

    /** Why the box is unusable. */
    public Reason reason() {
        return reason;
    }
}
