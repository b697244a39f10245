package dev.runa.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** The session a runa Spark command runs in. */
public final class SparkSessions {
    /** The master when neither the command nor spark-submit names one. */
    public static final String DEFAULT_MASTER = "local[*]";

    private SparkSessions() {}

    /**
     * The active session, or a new one: on {@code master} when given, else on the master
     * spark-submit configured, else on {@link #DEFAULT_MASTER}. Local sessions run without the web UI
     * (no port to collide with) unless {@code spark.ui.enabled} says otherwise.
     */
    public static SparkSession getOrCreate(String master, String appName) {
        SparkConf conf = new SparkConf();
        String m = master != null ? master : conf.get("spark.master", DEFAULT_MASTER);
        SparkSession.Builder b = SparkSession.builder().appName(appName).master(m);
        if (m.startsWith("local") && !conf.contains("spark.ui.enabled")) {
            b = b.config("spark.ui.enabled", "false");
        }
        return b.getOrCreate();
    }
}
