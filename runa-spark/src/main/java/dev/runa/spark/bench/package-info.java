/** {@code runa bench spark}: local Spark against in-process scoring on the same data, in one run. */
package dev.runa.spark.bench;
