package dev.runa.server;

import java.io.File;
import java.util.ArrayList;
import java.util.List;

/** {@code runa serve} as a real child process on this test's class path, for the process tests. */
final class ServerProcesses {
    private ServerProcesses() {}

    /** A tiny random model on an ephemeral port with one thread, plus {@code args}. */
    static ProcessBuilder serve(String... args) {
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> cmd = new ArrayList<>(List.of(
                java,
                "-Xmx1g",
                "-cp",
                System.getProperty("java.class.path"),
                ServerMain.class.getName(),
                "serve",
                "--model",
                "random:tiny",
                "--port",
                "0",
                "--threads",
                "1"));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd);
    }
}
