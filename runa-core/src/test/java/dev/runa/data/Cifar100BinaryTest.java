package dev.runa.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.image.PixelImage;
import dev.runa.image.PixelMode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar100BinaryTest {
    @TempDir
    Path tmp;

    /** Writes {@code n} records with labels (i % 20, i % 100) and seeded random planes; returns the planes. */
    static byte[][] writeRecords(Path file, int n, long seed) throws IOException {
        Random r = new Random(seed);
        byte[] all = new byte[n * Cifar100Binary.RECORD_BYTES];
        byte[][] planes = new byte[n][3072];
        for (int i = 0; i < n; i++) {
            int at = i * Cifar100Binary.RECORD_BYTES;
            all[at] = (byte) (i % 20);
            all[at + 1] = (byte) (i % 100);
            r.nextBytes(planes[i]);
            System.arraycopy(planes[i], 0, all, at + 2, 3072);
        }
        Files.write(file, all);
        return planes;
    }

    /** 100 names, one per line (CIFAR-100's own file ends with blank lines). */
    static void writeNames(Path file) throws IOException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            names.add("class_" + i);
        }
        names.add("");
        Files.write(file, names);
    }

    @Test
    void readsLabelsAndTurnsRgbPlanesIntoPixels() throws IOException {
        byte[][] planes = writeRecords(tmp.resolve("test.bin"), 130, 1);
        writeNames(tmp.resolve("fine_label_names.txt"));
        Cifar100Binary data = Cifar100Binary.openTestSplit(tmp);
        assertEquals(130, data.size());
        assertEquals(100, data.fineLabelNames().size());
        for (int i : new int[] {0, 1, 57, 129}) {
            Cifar100Binary.Record rec = data.get(i);
            assertEquals(i, rec.index());
            assertEquals(i % 20, rec.coarse());
            assertEquals(i % 100, rec.fine());
            assertEquals("class_" + (i % 100), data.fineName(rec));
            PixelImage img = rec.image();
            assertEquals(32, img.width());
            assertEquals(32, img.height());
            assertEquals(PixelMode.RGB, img.mode());
            // pixel (x, y), channel c = plane c at row y, column x
            for (int y = 0; y < 32; y += 7) {
                for (int x = 0; x < 32; x += 5) {
                    for (int c = 0; c < 3; c++) {
                        assertEquals(
                                planes[i][c * 1024 + y * 32 + x] & 0xff, img.sample(x, y, c), i + ":" + x + "," + y);
                    }
                }
            }
        }
    }

    @Test
    void aTruncatedFileIsRefusedWithItsSize() throws IOException {
        writeRecords(tmp.resolve("full.bin"), 3, 2);
        byte[] bytes = Files.readAllBytes(tmp.resolve("full.bin"));
        Files.write(tmp.resolve("test.bin"), Arrays.copyOf(bytes, bytes.length - 100));
        writeNames(tmp.resolve("fine_label_names.txt"));
        MalformedDataException e = assertThrows(MalformedDataException.class, () -> Cifar100Binary.openTestSplit(tmp));
        assertTrue(
                e.getMessage().contains("test.bin")
                        && e.getMessage().contains((bytes.length - 100) + " bytes")
                        && e.getMessage().contains("truncated")
                        && e.getMessage().contains("2 whole records"),
                e.getMessage());
    }

    @Test
    void anIndexOutsideTheFileNamesTheRange() throws IOException {
        writeRecords(tmp.resolve("test.bin"), 5, 3);
        writeNames(tmp.resolve("fine_label_names.txt"));
        Cifar100Binary data = Cifar100Binary.openTestSplit(tmp);
        for (int bad : new int[] {5, 3637, -1}) {
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> data.get(bad));
            assertTrue(
                    e.getMessage().contains("no image " + bad) && e.getMessage().contains("images 0 to 4"),
                    e.getMessage());
        }
    }

    @Test
    void missingFilesWrongNamesAndForeignLabelsAreNamed() throws IOException {
        MalformedDataException none =
                assertThrows(MalformedDataException.class, () -> Cifar100Binary.openTestSplit(tmp));
        assertTrue(none.getMessage().contains("fine_label_names.txt: no such file"), none.getMessage());

        writeRecords(tmp.resolve("test.bin"), 2, 4);
        Files.write(tmp.resolve("fine_label_names.txt"), List.of("a", "b"));
        MalformedDataException names =
                assertThrows(MalformedDataException.class, () -> Cifar100Binary.openTestSplit(tmp));
        assertTrue(names.getMessage().contains("2 class names, expected 100"), names.getMessage());

        writeNames(tmp.resolve("fine_label_names.txt"));
        byte[] bytes = Files.readAllBytes(tmp.resolve("test.bin"));
        bytes[Cifar100Binary.RECORD_BYTES + 1] = (byte) 200; // fine label of image 1
        Files.write(tmp.resolve("test.bin"), bytes);
        Cifar100Binary data = Cifar100Binary.openTestSplit(tmp);
        MalformedDataException label = assertThrows(MalformedDataException.class, () -> data.get(1));
        assertTrue(label.getMessage().contains("image 1 has labels coarse 1, fine 200"), label.getMessage());
    }
}
