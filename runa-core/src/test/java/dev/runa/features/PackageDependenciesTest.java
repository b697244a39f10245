package dev.runa.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The feature cache and the adapter file sit below eval and finetune: eval never reaches into
 * finetune, and neither of them reaches into eval or finetune. Read from the sources (the tests run in the module folder).
 */
class PackageDependenciesTest {
    static final Path SOURCES = Path.of("src/main/java/dev/runa");

    @Test
    void evalDoesNotDependOnFinetune() throws IOException {
        assertEquals(List.of(), filesReferring("eval", "dev.runa.finetune"));
    }

    @Test
    void theAdapterFileDependsOnNeitherEvalNorFinetune() throws IOException {
        List<String> bad = new ArrayList<>(filesReferring("adapter", "dev.runa.finetune"));
        bad.addAll(filesReferring("adapter", "dev.runa.eval"));
        assertEquals(List.of(), bad);
    }

    @Test
    void theFeatureCacheDependsOnNeitherEvalNorFinetune() throws IOException {
        List<String> bad = new ArrayList<>(filesReferring("features", "dev.runa.finetune"));
        bad.addAll(filesReferring("features", "dev.runa.eval"));
        assertEquals(List.of(), bad);
    }

    private static List<String> filesReferring(String pkg, String other) throws IOException {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(SOURCES.resolve(pkg))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                if (Files.readString(f).contains(other + ".")) {
                    out.add(f.getFileName().toString());
                }
            }
        }
        return out;
    }
}
