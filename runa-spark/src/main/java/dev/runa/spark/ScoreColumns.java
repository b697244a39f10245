package dev.runa.spark;

import dev.runa.ood.BoxResult;
import dev.runa.ood.PixelBox;
import java.util.List;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The columns {@link RunaSpark#score} appends to its input: the five ID scores (flat, with
 * {@code .} spelled {@code _} so that they need no quoting in SQL), the decision, the best class,
 * the integer crop and the error. Scores, crop and best class are null when {@code error} is set;
 * {@code ood} is null without a calibration.
 */
public final class ScoreColumns {
    public static final String MAXSIM = "maxsim";
    public static final String MCM_T1 = "mcm_t1";
    public static final String MCM_T0_01 = "mcm_t0_01";
    public static final String SUM = "sum";
    public static final String ENERGY_T0_01 = "energy_t0_01";
    public static final String OOD = "ood";
    public static final String BEST_CLASS = "best_class";
    public static final String CROP = "crop";
    public static final String ERROR = "error";

    /** Every appended column, in order. */
    public static final List<String> NAMES =
            List.of(MAXSIM, MCM_T1, MCM_T0_01, SUM, ENERGY_T0_01, OOD, BEST_CLASS, CROP, ERROR);

    private ScoreColumns() {}

    /** {@code input} with the score columns appended; a name clash is refused, naming the column. */
    public static StructType appendTo(StructType input) {
        for (String n : NAMES) {
            if (List.of(input.fieldNames()).contains(n)) {
                throw new IllegalArgumentException(
                        "the detections already have a column '" + n + "', which scoring would add; rename it first");
            }
        }
        StructType out = input;
        for (String n : List.of(MAXSIM, MCM_T1, MCM_T0_01, SUM, ENERGY_T0_01)) {
            out = out.add(new StructField(n, DataTypes.DoubleType, true, Metadata.empty()));
        }
        return out.add(OOD, DataTypes.BooleanType, true)
                .add(BEST_CLASS, DataTypes.StringType, true)
                .add(CROP, DataTypes.createArrayType(DataTypes.IntegerType, false), true)
                .add(ERROR, DataTypes.StringType, true);
    }

    /** The appended values of one box's result, in {@link #NAMES} order. */
    static Object[] values(BoxResult r, List<String> classLabels) {
        if (r.scores() == null) {
            return new Object[] {null, null, null, null, null, null, null, crop(r.crop()), r.error()};
        }
        var s = r.scores();
        return new Object[] {
            s.maxsim(),
            s.mcmT1(),
            s.mcmT001(),
            s.sum(),
            s.energyT001(),
            r.ood(),
            classLabels.get(s.bestClass()),
            crop(r.crop()),
            r.error()
        };
    }

    /** The appended values of a row that never reached the detector. */
    static Object[] error(String message) {
        return new Object[] {null, null, null, null, null, null, null, null, message};
    }

    private static Object crop(PixelBox c) {
        return c == null ? null : seq(List.of(c.left(), c.top(), c.right(), c.bottom()));
    }

    /** A Java list as the Scala sequence a Spark {@link org.apache.spark.sql.Row} holds for an array column. */
    public static <T> scala.collection.immutable.Seq<T> seq(List<T> list) {
        return scala.jdk.javaapi.CollectionConverters.asScala(list).toList();
    }
}
