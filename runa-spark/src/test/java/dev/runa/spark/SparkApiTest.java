package dev.runa.spark;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.element_at;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.slice;
import static org.apache.spark.sql.functions.spark_partition_id;
import static org.apache.spark.sql.functions.when;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.runa.batch.ScoringJobs;
import dev.runa.output.JsonLinesFormat;
import dev.runa.spark.table.DetectionTables;
import dev.runa.spark.table.ScoreRows;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link RunaSpark#score} on a real local session: partitionings, task retries, the other input layouts. */
class SparkApiTest {
    static SparkFixture f;
    static SparkSession spark;
    static Dataset<Row> detections;
    static RunaSparkSettings settings;
    static List<JsonNode> reference;

    @BeforeAll
    static void setUp() throws Exception {
        f = SparkFixture.get();
        spark = SharedSpark.session();
        detections = DetectionTables.fromCoco(spark, ScoringJobs.fromCoco(f.images, f.detections, f.imageList, 0.1));
        settings = RunaSparkSettings.defaults(RunaSparkSettings.parseClasses(SparkFixture.CLASSES))
                .withModel(f.model.toString());
        reference = InProcessReference.scoreRows(f, 0.1, 0.5, null);
    }

    /** Score rows as runa score's JSON rows (Spark's JSON leaves out null fields; they are put back). */
    static List<JsonNode> rows(Dataset<Row> scored) throws Exception {
        List<JsonNode> rows = new ArrayList<>();
        for (String line : ScoreRows.of(scored).toJSON().collectAsList()) {
            ObjectNode row = (ObjectNode) SparkFixture.JSON.readTree(line);
            for (String k : JsonLinesFormat.KEYS) {
                if (!row.has(k)) {
                    row.putNull(k);
                }
            }
            rows.add(row);
        }
        return rows;
    }

    @Test
    void theResultDoesNotDependOnThePartitioning() throws Exception {
        List<JsonNode> one = rows(RunaSpark.score(detections, settings.withPartitions(1)));
        SparkScoreTest.assertSameRows(reference, one);
        for (int p : new int[] {3, 7}) {
            Dataset<Row> scored = RunaSpark.score(detections, settings.withPartitions(p));
            assertEquals(p, scored.rdd().getNumPartitions());
            SparkScoreTest.assertSameRows(one, rows(scored));
        }
    }

    @Test
    void aFailedTaskAttemptIsRetriedWithoutLossOrDuplicates() throws Exception {
        // A partition with at least two rows: the injected failure comes after its first row.
        Map<Integer, Long> perPartition = new HashMap<>();
        for (Row r : RunaSpark.score(detections, settings.withPartitions(3))
                .groupBy(spark_partition_id())
                .count()
                .collectAsList()) {
            perPartition.put(r.getInt(0), r.getLong(1));
        }
        int victim = perPartition.entrySet().stream()
                .filter(e -> e.getValue() >= 2)
                .findFirst()
                .orElseThrow()
                .getKey();
        try (FailedTasks failedTasks = new FailedTasks(spark.sparkContext())) {
            Path out = f.tempDir("retry").resolve("out");
            Dataset<Row> scored =
                    RunaSpark.score(detections, settings.withPartitions(3).withFailFirstAttemptOfPartition(victim));
            ScoreRows.write(ScoreRows.of(scored), out.toString(), ScoreRows.Format.PARQUET, false);
            List<JsonNode> written = new ArrayList<>();
            for (String line : spark.read().parquet(out.toString()).toJSON().collectAsList()) {
                ObjectNode row = (ObjectNode) SparkFixture.JSON.readTree(line);
                JsonLinesFormat.KEYS.forEach(k -> {
                    if (!row.has(k)) {
                        row.putNull(k);
                    }
                });
                written.add(row);
            }
            // Complete (every box once: assertSameRows refuses duplicates) and equal to runa score.
            assertEquals(reference.size(), written.size());
            SparkScoreTest.assertSameRows(reference, written);
            assertEquals(1, failedTasks.awaitAny(), "the injected failure happened once, and the retry succeeded");
        }
    }

    @Test
    void imagesFromABinaryColumnAndBoxesFromFourColumns() throws Exception {
        // Spark's binaryFile source names files file:/...; the detections join it on that URI.
        Dataset<Row> files = spark.read().format("binaryFile").load(f.images.toString());
        Dataset<Row> joined = detections
                .withColumn("path", concat(lit("file:"), col("file")))
                .join(
                        files.select("path", "content"),
                        List.of("path").iterator().next(),
                        "left")
                .withColumn("x1", element_at(col("box"), 1))
                .withColumn("y1", element_at(col("box"), 2))
                .withColumn("x2", element_at(col("box"), 3))
                .withColumn("y2", element_at(col("box"), 4));
        RunaSparkSettings s = settings.withImageBytesColumn("content", "path")
                .withBoxColumns("x1", "y1", "x2", "y2")
                .withPartitions(3);
        List<JsonNode> got = rows(RunaSpark.score(joined, s));
        Map<String, JsonNode> ref = SparkScoreTest.byPosition(reference);
        Map<String, JsonNode> actual = SparkScoreTest.byPosition(got);
        assertEquals(ref.keySet(), actual.keySet());
        for (String k : ref.keySet()) {
            JsonNode x = ref.get(k);
            JsonNode y = actual.get(k);
            assertEquals(x.get("error").isNull(), y.get("error").isNull(), k + ": " + y.get("error"));
            if (x.get("error").isNull()) {
                assertEquals(x.get("crop"), y.get("crop"), k);
                assertEquals(
                        x.get("scores").get("maxsim").asDouble(),
                        y.get("scores").get("maxsim").asDouble(),
                        SparkScoreTest.TOL,
                        k);
            }
        }
    }

    @Test
    void pathsAsFileUrisReadThroughHadoop() throws Exception {
        Dataset<Row> uris = detections.withColumn("file", concat(lit("file://"), col("file")));
        List<JsonNode> got = rows(RunaSpark.score(uris, settings.withPartitions(2)));
        for (JsonNode row : got) {
            assertTrue(row.get("file").asText().startsWith("file://"));
        }
        Map<String, JsonNode> actual = SparkScoreTest.byPosition(got);
        for (Map.Entry<String, JsonNode> e :
                SparkScoreTest.byPosition(reference).entrySet()) {
            JsonNode y = actual.get(e.getKey());
            assertEquals(e.getValue().get("error").isNull(), y.get("error").isNull(), e.getKey());
            if (!e.getValue().get("scores").isNull()) {
                assertEquals(
                        e.getValue().get("scores").get("sum").asDouble(),
                        y.get("scores").get("sum").asDouble(),
                        SparkScoreTest.TOL * 3);
            }
        }
    }

    @Test
    void badBoxesAndColumnsAreReportedClearly() throws Exception {
        Dataset<Row> odd = detections.withColumn(
                "box",
                when(col("box_index").equalTo(0), slice(col("box"), 1, 3)).otherwise(col("box")));
        List<JsonNode> got = rows(RunaSpark.score(odd, settings.withPartitions(2)));
        long threeNumbers = got.stream()
                .filter(r -> r.get("error").asText().contains("must be 4 numbers [x1, y1, x2, y2]"))
                .count();
        long firstBoxes =
                reference.stream().filter(r -> r.get("box_index").asInt() == 0).count();
        assertEquals(firstBoxes, threeNumbers);
        assertTrue(got.stream().anyMatch(r -> r.get("error").isNull()), "the other boxes are scored");

        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> RunaSpark.score(detections, settings.withBoxColumn("bbox")));
        assertTrue(e.getMessage().contains("boxColumn: the detections have no column 'bbox'"), e.getMessage());
        IllegalArgumentException clash = assertThrows(
                IllegalArgumentException.class,
                () -> RunaSpark.score(detections.withColumn("maxsim", lit(1.0)), settings));
        assertTrue(clash.getMessage().contains("'maxsim'"), clash.getMessage());
        assertFalse(settings.toString().contains("[B@"), "settings print readably");
    }
}
