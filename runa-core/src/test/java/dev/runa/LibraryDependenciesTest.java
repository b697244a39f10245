package dev.runa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.File;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The library's runtime dependency tree holds ONNX Runtime, Jackson and the JPEG decoder only: no
 * front-end library (command line, progress bars, charts, web servers, Spark). Surefire's test class
 * path is the module's whole resolved tree (compile, runtime and test scopes, transitively), so a
 * front-end jar that reached the library by any path shows up here.
 */
class LibraryDependenciesTest {
    /** Maven repository folders of front-end libraries, with what they are. */
    private static final Map<String, String> FRONT_END = Map.ofEntries(
            Map.entry("/info/picocli/", "picocli (command line)"),
            Map.entry("/me/tongfei/", "progressbar"),
            Map.entry("/org/jline/", "jline (terminal)"),
            Map.entry("/org/jfree/", "JFreeChart"),
            Map.entry("/io/javalin/", "Javalin (web server)"),
            Map.entry("/org/eclipse/jetty/", "Jetty (web server)"),
            Map.entry("/io/helidon/", "Helidon (web server)"),
            Map.entry("/io/undertow/", "Undertow (web server)"),
            Map.entry("/io/netty/", "Netty (network server)"),
            Map.entry("/org/apache/spark/", "Apache Spark"),
            Map.entry("/org/apache/hadoop/", "Apache Hadoop"),
            Map.entry("/org/scala-lang/", "Scala runtime"),
            Map.entry("/org/seleniumhq/", "Selenium"),
            Map.entry("/io/prometheus/", "Prometheus client"),
            Map.entry("/io/micrometer/", "Micrometer"));

    @Test
    void runtimeTreeHasNoFrontEndLibrary() {
        List<String> found = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String path = entry.replace(File.separatorChar, '/');
            FRONT_END.forEach((dir, what) -> {
                if (path.contains(dir)) {
                    found.add(what + ": " + entry);
                }
            });
        }
        assertEquals(List.of(), found, "runa-core must not depend on front-end libraries");
    }
}
