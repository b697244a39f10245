package dev.runa.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubSettings;
import dev.runa.testing.TinyCheckpoints;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9, item 7: a local model's identity comes from its content, not its path or mtime. */
class LocalModelIdentityTest {
    @TempDir
    Path tmp;

    private final ClipLoader loader = new ClipLoader(
            new HubClient(HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "1"), Path.of("/nonexistent"))),
            EncoderOptions.defaults());

    private ClipLoader.Checkpoint resolve(Path dir) {
        ClipLoader.Checkpoint c = loader.resolve(dir.toString());
        c.weights().close();
        return c;
    }

    private static void copyTree(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : files.toList()) {
                Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.COPY_ATTRIBUTES);
            }
        }
    }

    @Test
    void aCopyOrATouchedFileIsTheSameModelOtherWeightsAreNot() throws Exception {
        Path a = TinyCheckpoints.write(tmp.resolve("model"), 7);
        ClipLoader.Checkpoint original = resolve(a);
        assertTrue(original.identity().startsWith("local:sha256:"), original.identity());
        assertTrue(!original.identity().contains(a.toString()), "no path in " + original.identity());

        Path copy = tmp.resolve("copy");
        copyTree(a, copy); // cp -a
        assertEquals(original.identity(), resolve(copy).identity());

        Files.setLastModifiedTime(
                a.resolve("model.safetensors"), FileTime.from(Instant.now().plusSeconds(60)));
        ClipLoader.Checkpoint touched = resolve(a);
        assertEquals(original.identity(), touched.identity());
        assertNotEquals(
                original.modelIdentity().legacy(), touched.modelIdentity().legacy(), "the old form did change");

        Path other = TinyCheckpoints.write(tmp.resolve("other"), 8);
        assertNotEquals(original.identity(), resolve(other).identity());
    }

    @Test
    void theEarlierIdentityFormStillMatchesForOldAdapters() throws Exception {
        Path a = TinyCheckpoints.write(tmp.resolve("model"), 7);
        try (LoadedClip clip = loader.load(a.toString())) {
            String old = a.toAbsolutePath().normalize() + "#";
            String legacy = clip.modelIdentity().legacy();
            assertTrue(legacy.startsWith(old), legacy);
            assertEquals(legacy, clip.modelIdentity().matching(legacy));
            assertEquals(clip.identity(), clip.modelIdentity().matching("/elsewhere#0123456789ab"));
        }
    }
}
