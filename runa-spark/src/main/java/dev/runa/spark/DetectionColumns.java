package dev.runa.spark;

import dev.runa.detect.DetectedObject;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The columns {@link RunaSpark#detectAndScore} puts between an image's input columns and the
 * {@link ScoreColumns}: one detected object per row, as {@code runa detect}'s rows give it. All are
 * null in the one row of an image that could not be read (its {@code error} says why).
 */
public final class DetectionColumns {
    /** {@code array<double>} {@code [x1, y1, x2, y2]} in the image's pixels (the detector's float32 values). */
    public static final String BOX = "box";
    /** The detector's class index. */
    public static final String CATEGORY_ID = "category_id";
    /** The detector's name for the class. */
    public static final String LABEL = "label";
    /** The detector's confidence (float32, widened). */
    public static final String CONFIDENCE = "confidence";
    /** Position of the object among its image's detections, best first. */
    public static final String BOX_INDEX = "box_index";
    /** Number of objects detected in the image. */
    public static final String N_BOXES = "n_boxes";

    /** Every inserted column, in order. */
    public static final List<String> NAMES = List.of(BOX, CATEGORY_ID, LABEL, CONFIDENCE, BOX_INDEX, N_BOXES);

    private DetectionColumns() {}

    /** {@code input} with the detection columns appended; a name clash is refused, naming the column. */
    static StructType appendTo(StructType input) {
        for (String n : NAMES) {
            if (List.of(input.fieldNames()).contains(n)) {
                throw new IllegalArgumentException(
                        "the images already have a column '" + n + "', which detection would add; rename it first");
            }
        }
        return input.add(BOX, DataTypes.createArrayType(DataTypes.DoubleType, false), true)
                .add(CATEGORY_ID, DataTypes.IntegerType, true)
                .add(LABEL, DataTypes.StringType, true)
                .add(CONFIDENCE, DataTypes.DoubleType, true)
                .add(BOX_INDEX, DataTypes.IntegerType, true)
                .add(N_BOXES, DataTypes.IntegerType, true);
    }

    /** The inserted values of object {@code index} of {@code n}, in {@link #NAMES} order. */
    static Object[] values(DetectedObject o, int index, int n) {
        var b = o.box();
        return new Object[] {
            ScoreColumns.seq(List.of(b.x1(), b.y1(), b.x2(), b.y2())),
            o.classIndex(),
            o.label(),
            (double) o.score(),
            index,
            n
        };
    }

    /** The inserted values of an image's error row. */
    static Object[] none() {
        return new Object[NAMES.size()];
    }
}
