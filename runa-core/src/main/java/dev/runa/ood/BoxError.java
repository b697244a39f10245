package dev.runa.ood;

import dev.runa.image.ImageDecodeException;

/**
 * Why a box has no scores: a reason a program can branch on, the kind a summary counts, and the
 * message a person reads (the {@code error} field of score's rows). Immutable.
 *
 * @param reason  what went wrong, in the few classes a caller branches on
 * @param kind    a short phrase naming the precise kind of failure ("truncated image", "box has no
 *                area"), for counting failures by kind in end-of-run summaries
 * @param message what went wrong, naming the file or the box
 */
public record BoxError(Reason reason, String kind, String message) {
    /** The kinds of failure that leave a box unscored while the run goes on. */
    public enum Reason {
        /** The image file is missing, unreadable, truncated or not a decodable image. */
        UNREADABLE_IMAGE("unreadable image"),
        /** The image has more pixels than the configured limit, or than this JVM's memory holds. */
        IMAGE_TOO_LARGE("image too large"),
        /** The box has no area inside the image (after clamping to its bounds), or is not finite. */
        DEGENERATE_BOX("degenerate box"),
        /** Anything else that went wrong with one image (a bug): reported, and the run goes on. */
        UNEXPECTED("unexpected failure");

        private final String label;

        Reason(String label) {
            this.label = label;
        }

        /** A short phrase for summaries. */
        public String label() {
            return label;
        }
    }

    public BoxError {
        if (reason == null || kind == null || message == null) {
            throw new IllegalArgumentException("a box error needs a reason, a kind and a message");
        }
    }

    /** An error whose kind is its reason's label. */
    public BoxError(Reason reason, String message) {
        this(reason, reason.label(), message);
    }

    /** The error of an image that could not be decoded: the exception's kind, e.g. "truncated image". */
    public static BoxError of(ImageDecodeException e) {
        Reason r = e.kind() == ImageDecodeException.Kind.TOO_LARGE ? Reason.IMAGE_TOO_LARGE : Reason.UNREADABLE_IMAGE;
        return new BoxError(r, e.kind().label(), e.getMessage());
    }

    /** The error of a box from which no view can be made. */
    public static BoxError of(DegenerateBoxException e) {
        return new BoxError(Reason.DEGENERATE_BOX, e.reason().label(), e.getMessage());
    }

    /** The error of an image that did not fit in this JVM's memory. */
    public static BoxError outOfMemory(String file) {
        return new BoxError(
                Reason.IMAGE_TOO_LARGE, "out of memory", file + ": image too large to decode in this JVM's memory");
    }

    /** The error of an image whose processing failed in a way nobody planned for. */
    public static BoxError unexpected(String file, RuntimeException e) {
        return new BoxError(Reason.UNEXPECTED, file + ": " + Reason.UNEXPECTED.label() + " (" + e + ")");
    }
}
