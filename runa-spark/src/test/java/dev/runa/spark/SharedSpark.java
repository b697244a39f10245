package dev.runa.spark;

import org.apache.spark.sql.SparkSession;

/**
 * One local Spark session for every test class of the module (starting one costs seconds):
 * {@code local[2,4]}, two cores and up to four attempts per task, so that the failure test can see
 * a retry. Spark stops it when the test JVM exits.
 */
public final class SharedSpark {
    private static SparkSession session;

    private SharedSpark() {}

    public static synchronized SparkSession session() {
        if (session == null) {
            session = SparkSession.builder()
                    .master("local[2,4]")
                    .appName("runa-spark tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
        }
        return session;
    }
}
