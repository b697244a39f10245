package dev.runa.spark;

import dev.runa.image.DecodeOptions;
import dev.runa.image.ImageDecodeException;
import dev.runa.image.ImageDecoder;
import dev.runa.image.PixelImage;
import java.io.Serializable;
import org.apache.spark.sql.Row;

/**
 * Reads and decodes the image an input row names (or carries, for the {@code binaryFile} layout),
 * turning every way that can fail into the error text its output rows get, in the words of
 * {@code runa score}'s pipeline. Immutable and serializable: tasks carry it.
 */
final class RowImages implements Serializable {
    private static final long serialVersionUID = 1L;

    private final InputLayout layout;
    private final HadoopFiles files;

    RowImages(InputLayout layout, HadoopFiles files) {
        this.layout = layout;
        this.files = files;
    }

    /** A decoded image, or why there is none. */
    record Decoded(PixelImage image, String error) {}

    /** The error of a row with no image (its key or name is null), else null. */
    String missing(Row row) {
        if (layout.key(row) != null && layout.name(row) != null) {
            return null;
        }
        return layout.inlineBytes() ? "image bytes are null" : "image path is null";
    }

    /** Decodes {@code row}'s image, named {@code name} (a row {@link #missing} said is there). */
    Decoded decode(Row row, String name) {
        try {
            byte[] bytes = layout.inlineBytes() ? layout.bytes(row) : files.read(name);
            return new Decoded(ImageDecoder.decode(bytes, name, DecodeOptions.DEFAULT), null);
        } catch (ImageDecodeException e) {
            return new Decoded(null, e.getMessage());
        } catch (OutOfMemoryError e) {
            return new Decoded(null, name + ": image too large to decode in this JVM's memory");
        }
    }
}
