package dev.runa.features;

import dev.runa.image.ImageDecodeException;
import dev.runa.image.ImageDecoder;
import dev.runa.image.PixelImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * Width and height of image files, read from the file header where an ImageIO reader can (no pixel
 * decoding), so that cache keys, which depend on the crop box clamped to the image, can be made
 * without decoding images whose features are already cached. Falls back to a full decode with
 * {@link ImageDecoder} for formats ImageIO does not know. Sizes are in stored orientation, as
 * {@link ImageDecoder} returns them with EXIF orientation ignored (Pillow's and CLIP's behaviour).
 * Memoised per image digest; thread-safe.
 */
public final class ImageSizes {
    /** Image size in pixels. */
    public record Size(int width, int height) {}

    private final Map<String, Size> memo = new ConcurrentHashMap<>();

    /**
     * The size of {@code file}, whose content digest is {@code digest}.
     *
     * @throws IOException naming the file when it cannot be read or is not an image
     */
    public Size size(Path file, String digest) throws IOException {
        Size s = memo.get(digest);
        if (s == null) {
            s = probe(file);
            memo.put(digest, s);
        }
        return s;
    }

    /** Reads the size from the header, decoding the image only when no ImageIO reader accepts it. */
    static Size probe(Path file) throws IOException {
        try (ImageInputStream in = ImageIO.createImageInputStream(Files.newInputStream(file))) {
            if (in != null) {
                Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
                if (readers.hasNext()) {
                    ImageReader r = readers.next();
                    try {
                        r.setInput(in, true, true);
                        return new Size(r.getWidth(0), r.getHeight(0));
                    } catch (IOException | RuntimeException e) {
                        // a header ImageIO cannot parse: let the project's decoder decide below
                    } finally {
                        r.dispose();
                    }
                }
            }
        }
        try {
            PixelImage img = ImageDecoder.decode(file);
            return new Size(img.width(), img.height());
        } catch (ImageDecodeException e) {
            throw new IOException(file + ": cannot read the image size: " + e.getMessage(), e);
        }
    }
}
