package dev.runa.ood;

/**
 * Why a box has no scores: a reason a program can branch on, and the message a person reads (the
 * {@code error} field of score's rows).
 *
 * @param reason  what went wrong
 * @param message what went wrong, naming the file or the box
 */
public record BoxError(Reason reason, String message) {
    /** The kinds of failure that leave a box unscored while the run goes on. */
    public enum Reason {
        /** The image file is missing, unreadable or not a decodable image. */
        UNREADABLE_IMAGE,
        /** The image decodes to more pixels than this JVM's memory holds. */
        IMAGE_TOO_LARGE,
        /** The box has no area inside the image (after clamping to its bounds). */
        DEGENERATE_BOX,
    }

    public BoxError {
        if (reason == null || message == null) {
            throw new IllegalArgumentException("a box error needs a reason and a message");
        }
    }
}
