package dev.runa.spark;

import dev.runa.data.Box;
import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructType;

/**
 * Where an input row keeps its image and (in a detections table) its box, checked against the
 * schema on the driver (errors name the column) and read on executors.
 */
final class InputLayout implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int keyIndex;
    private final int nameIndex;
    private final int bytesIndex;
    private final int boxIndex;
    private final int[] boxIndices;
    private final String boxName;

    private InputLayout(int keyIndex, int nameIndex, int bytesIndex, int boxIndex, int[] boxIndices, String boxName) {
        this.keyIndex = keyIndex;
        this.nameIndex = nameIndex;
        this.bytesIndex = bytesIndex;
        this.boxIndex = boxIndex;
        this.boxIndices = boxIndices;
        this.boxName = boxName;
    }

    /**
     * The layout of {@code schema} under {@code settings}; {@code keyColumn} is the column rows are
     * grouped by.
     *
     * @throws IllegalArgumentException naming the setting and column that is missing or of the wrong type
     */
    static InputLayout of(StructType schema, RunaSparkSettings settings, String keyColumn) {
        InputLayout images = ofImages(schema, settings, keyColumn, "the detections");
        int key = images.keyIndex;
        int name = images.nameIndex;
        int bytes = images.bytesIndex;
        if (settings.boxColumns() != null) {
            int[] idx = new int[4];
            for (int i = 0; i < 4; i++) {
                idx[i] = index(schema, settings.boxColumns().get(i), "boxColumns", "the detections");
                require(schema, idx[i], NumericType.class, "boxColumns", "numeric");
            }
            return new InputLayout(key, name, bytes, -1, idx, String.join(", ", settings.boxColumns()));
        }
        int box = index(schema, settings.boxColumn(), "boxColumn", "the detections");
        DataType t = schema.fields()[box].dataType();
        if (!(t instanceof ArrayType a && a.elementType() instanceof NumericType)) {
            throw new IllegalArgumentException("boxColumn '" + settings.boxColumn()
                    + "' must be an array of numbers [x1, y1, x2, y2], but it is " + t.simpleString());
        }
        return new InputLayout(key, name, bytes, box, null, settings.boxColumn());
    }

    /**
     * The layout of a table of images (one row per image, no boxes) under {@code settings}: where
     * each row's image is; {@link #box} must not be called on it. {@code table} names the table in
     * errors (e.g. {@code "the images"}).
     *
     * @throws IllegalArgumentException naming the setting and column that is missing or of the wrong type
     */
    static InputLayout ofImages(StructType schema, RunaSparkSettings settings, String keyColumn, String table) {
        int key = index(schema, keyColumn, "key", table);
        int name = -1;
        int bytes = -1;
        if (settings.imageBytesColumn() != null) {
            bytes = index(schema, settings.imageBytesColumn(), "imageBytesColumn", table);
            require(schema, bytes, BinaryType.class, "imageBytesColumn", "binary");
            if (List.of(schema.fieldNames()).contains(settings.imagePathColumn())) {
                name = index(schema, settings.imagePathColumn(), "imagePathColumn", table);
            }
        } else {
            name = index(schema, settings.imagePathColumn(), "imagePathColumn", table);
            require(schema, name, StringType.class, "imagePathColumn", "string");
        }
        return new InputLayout(key, name, bytes, -1, null, null);
    }

    private static int index(StructType schema, String column, String setting, String table) {
        List<String> names = List.of(schema.fieldNames());
        int i = names.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException(
                    setting + ": " + table + " have no column '" + column + "' (columns: " + names + ")");
        }
        return i;
    }

    private static void require(
            StructType schema, int index, Class<? extends DataType> type, String setting, String what) {
        DataType t = schema.fields()[index].dataType();
        if (!type.isInstance(t)) {
            throw new IllegalArgumentException(setting + ": column '" + schema.fields()[index].name() + "' must be "
                    + what + ", but it is " + t.simpleString());
        }
    }

    /** What the row's image is grouped by (path or bytes). */
    Object key(Row row) {
        return row.get(keyIndex);
    }

    /** Whether two rows show the same image. */
    static boolean sameImage(Object a, Object b) {
        return a instanceof byte[] x && b instanceof byte[] y ? Arrays.equals(x, y) : a != null && a.equals(b);
    }

    /** The image's name for errors: its path, or {@code "image bytes"} when only bytes are given. */
    String name(Row row) {
        if (nameIndex >= 0 && !row.isNullAt(nameIndex)) {
            return row.get(nameIndex).toString();
        }
        return bytesIndex >= 0 ? "image bytes" : null;
    }

    /** True when the image comes from a binary column rather than a path. */
    boolean inlineBytes() {
        return bytesIndex >= 0;
    }

    /** The encoded image of a row with inline bytes (null when the cell is null). */
    byte[] bytes(Row row) {
        return row.isNullAt(bytesIndex) ? null : (byte[]) row.get(bytesIndex);
    }

    /**
     * The row's box.
     *
     * @throws IllegalArgumentException saying what is wrong with it (null, not four numbers)
     */
    Box box(Row row) {
        double[] v = new double[4];
        if (boxIndices != null) {
            for (int i = 0; i < 4; i++) {
                if (row.isNullAt(boxIndices[i])) {
                    throw new IllegalArgumentException(
                            "box column " + row.schema().fieldNames()[boxIndices[i]] + " is null");
                }
                v[i] = ((Number) row.get(boxIndices[i])).doubleValue();
            }
        } else {
            if (row.isNullAt(boxIndex)) {
                throw new IllegalArgumentException("box (" + boxName + ") is null");
            }
            List<Object> list = row.getList(boxIndex);
            if (list.size() != 4 || list.contains(null)) {
                throw new IllegalArgumentException(
                        "box (" + boxName + ") must be 4 numbers [x1, y1, x2, y2], got " + list);
            }
            for (int i = 0; i < 4; i++) {
                v[i] = ((Number) list.get(i)).doubleValue();
            }
        }
        return new Box(v[0], v[1], v[2], v[3]);
    }
}
