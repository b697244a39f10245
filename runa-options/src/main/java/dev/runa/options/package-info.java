/**
 * The command-line options the front ends share (runa-cli, runa-server, runa-spark), as picocli
 * mixins, and the entry points' common setup.
 *
 * <p>A mixin declares each flag once (name, default, arity, help) and turns the parsed values into
 * runa-core's settings records ({@link dev.runa.clip.EncoderOptions}, {@link dev.runa.detect.DetectorOptions},
 * {@link dev.runa.image.DecodeOptions}, {@link dev.runa.setup.DetectorSettings}); it holds no other logic.
 * Where a front end's help must say something else about a flag (Spark's {@code --threads} default is
 * {@code spark.task.cpus}), the option's {@code descriptionKey} is overridden in that front end's
 * picocli resource bundle, and a differing default comes from its {@code IDefaultValueProvider}.
 *
 * <p>Mixins are mutable parse targets, populated by one picocli parse on one thread; not thread-safe.
 */
package dev.runa.options;
