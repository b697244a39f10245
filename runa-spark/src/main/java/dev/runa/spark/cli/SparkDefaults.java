package dev.runa.spark.cli;

import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The defaults of the shared options that differ on Spark: {@code --threads 0}, one ONNX Runtime
 * thread per task CPU ({@code spark.task.cpus}) rather than the machine's cores. Stateless.
 */
class SparkDefaults implements IDefaultValueProvider {
    @Override
    public String defaultValue(ArgSpec arg) {
        return isOption(arg, "--threads") ? "0" : null;
    }

    /** True when {@code arg} is the option {@code name}. */
    static boolean isOption(ArgSpec arg, String name) {
        return arg.isOption() && ((OptionSpec) arg).longestName().equals(name);
    }
}
