package dev.runa.data;

import dev.runa.image.PixelImage;
import dev.runa.image.PixelMode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * One split of the CIFAR-100 binary version ({@code cifar-100-binary}, from
 * https://www.cs.toronto.edu/~kriz/cifar.html): a file such as {@code test.bin} of fixed-size records,
 * plus {@code fine_label_names.txt} (one class name per line, in label order).
 *
 * <p>Each record is 3074 bytes: the coarse label (1 byte), the fine label (1 byte), then the 32x32
 * image as three planes of 1024 bytes (red, green, blue), each row-major. Records are read on demand
 * from the file; nothing is cached. Immutable and thread-safe.
 *
 * @param file           the records file
 * @param fineLabelNames the 100 fine class names, index = fine label
 * @param size           number of records in {@code file}
 */
public record Cifar100Binary(Path file, List<String> fineLabelNames, int size) {
    /** Side of the square images. */
    public static final int SIDE = 32;
    /** Bytes of one record: two label bytes and three 32x32 planes. */
    public static final int RECORD_BYTES = 2 + 3 * SIDE * SIDE;
    /** The file of the published CLIP example's split. */
    public static final String TEST_FILE = "test.bin";

    public static final String FINE_LABEL_NAMES = "fine_label_names.txt";

    private static final int FINE_CLASSES = 100;

    public Cifar100Binary {
        fineLabelNames = List.copyOf(fineLabelNames);
    }

    /**
     * One record.
     *
     * @param index  position in the file
     * @param coarse coarse label, 0-19
     * @param fine   fine label, 0-99
     * @param image  the 32x32 RGB image
     */
    public record Record(int index, int coarse, int fine, PixelImage image) {}

    /**
     * Opens {@code test.bin} and {@code fine_label_names.txt} in {@code dir} (the extracted
     * {@code cifar-100-binary} folder).
     *
     * @throws MalformedDataException naming the file when a file is missing, the label names are not
     *                                100, or the records file is not a whole number of records
     */
    public static Cifar100Binary openTestSplit(Path dir) throws IOException {
        return open(dir.resolve(TEST_FILE), dir.resolve(FINE_LABEL_NAMES));
    }

    /** Opens any records file of the binary layout with its label names file. */
    public static Cifar100Binary open(Path records, Path labelNames) throws IOException {
        if (!Files.isRegularFile(labelNames)) {
            throw new MalformedDataException(
                    labelNames + ": no such file (the cifar-100-binary folder holds " + FINE_LABEL_NAMES + ")");
        }
        if (!Files.isRegularFile(records)) {
            throw new MalformedDataException(
                    records + ": no such file (the cifar-100-binary folder holds " + TEST_FILE + " and train.bin)");
        }
        List<String> names = Files.readAllLines(labelNames, StandardCharsets.UTF_8).stream()
                .map(String::strip)
                .filter(s -> !s.isEmpty())
                .toList();
        if (names.size() != FINE_CLASSES) {
            throw new MalformedDataException(
                    labelNames + ": " + names.size() + " class names, expected " + FINE_CLASSES + " (one per line)");
        }
        long bytes = Files.size(records);
        if (bytes == 0 || bytes % RECORD_BYTES != 0) {
            throw new MalformedDataException(records + ": " + bytes + " bytes is not a whole number of "
                    + RECORD_BYTES + "-byte records (truncated or not a CIFAR-100 binary file; "
                    + bytes / RECORD_BYTES + " whole records)");
        }
        if (bytes / RECORD_BYTES > Integer.MAX_VALUE) {
            throw new MalformedDataException(records + ": too many records");
        }
        return new Cifar100Binary(records, names, (int) (bytes / RECORD_BYTES));
    }

    /**
     * The record at {@code index}.
     *
     * @throws IndexOutOfBoundsException naming the file and its size when index is outside it
     * @throws MalformedDataException    when a label byte is out of range (not a CIFAR-100 file)
     */
    public Record get(int index) throws IOException {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException(
                    file + ": no image " + index + " (the file holds images 0 to " + (size - 1) + ")");
        }
        ByteBuffer buf = ByteBuffer.allocate(RECORD_BYTES);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long at = (long) index * RECORD_BYTES;
            while (buf.hasRemaining()) {
                int n = ch.read(buf, at + buf.position());
                if (n < 0) {
                    throw new MalformedDataException(file + ": ends inside image " + index + " (file shrank?)");
                }
            }
        } catch (NoSuchFileException e) {
            throw new MalformedDataException(file + ": no such file", e);
        }
        byte[] r = buf.array();
        int coarse = r[0] & 0xff;
        int fine = r[1] & 0xff;
        if (coarse >= 20 || fine >= FINE_CLASSES) {
            throw new MalformedDataException(file + ": image " + index + " has labels coarse " + coarse + ", fine "
                    + fine + " (CIFAR-100 has 20 and 100): not a CIFAR-100 binary file");
        }
        int plane = SIDE * SIDE;
        byte[] rgb = new byte[3 * plane];
        for (int p = 0; p < plane; p++) {
            for (int c = 0; c < 3; c++) {
                rgb[p * 3 + c] = r[2 + c * plane + p];
            }
        }
        return new Record(index, coarse, fine, new PixelImage(SIDE, SIDE, PixelMode.RGB, rgb));
    }

    /** The fine class name of {@code record}. */
    public String fineName(Record record) {
        return fineLabelNames.get(record.fine());
    }
}
