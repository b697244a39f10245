package dev.runa.clip.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cache laid out by hand the way huggingface_hub leaves it after
 * {@code CLIPModel.from_pretrained("openai/clip-vit-base-patch16")}: symlinked snapshot entries, one
 * plain-file entry (what it writes where symlinks are unavailable), the {@code .no_exist} marker for
 * the safetensors file the main branch lacks, and a ref for {@code main}. Offline, everything must be
 * found without a network (the endpoint is a port nothing listens on, and offline mode never dials).
 */
class PythonCacheTest {
    private static final String REPO = "openai/clip-vit-base-patch16";
    private static final String COMMIT = "57c216476eefef5ab752ec549e440a49ae4ae5f3";
    private static final String CONFIG_ETAG = "c1d5f8f06e3b94ac36dc7ddd1c6b6a2cbf33b7d1";
    private static final String BIN_ETAG = "a63082132ba4f97a80bea76823f544493bffa8082296d62d71581a4feff1576f";

    @TempDir
    Path home;

    private Path pythonCache() throws IOException {
        Path repo = home.resolve(".cache/huggingface/hub/models--openai--clip-vit-base-patch16");
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), COMMIT); // Python writes no newline
        Path blobs = Files.createDirectories(repo.resolve("blobs"));
        Files.writeString(blobs.resolve(CONFIG_ETAG), "{\"model_type\": \"clip\"}");
        Files.writeString(blobs.resolve(BIN_ETAG), "not really a pickle");
        Path snap = Files.createDirectories(repo.resolve("snapshots").resolve(COMMIT));
        Files.createSymbolicLink(snap.resolve("config.json"), Path.of("../../blobs/" + CONFIG_ETAG));
        Files.createSymbolicLink(snap.resolve("pytorch_model.bin"), Path.of("../../blobs/" + BIN_ETAG));
        Files.writeString(snap.resolve("vocab.json"), "{}"); // plain file, no blob
        Path sub = Files.createDirectories(snap.resolve("tokenizer"));
        Files.writeString(sub.resolve("merges.txt"), "#version: 0.2\n");
        Files.createDirectories(repo.resolve(".no_exist").resolve(COMMIT));
        Files.createFile(repo.resolve(".no_exist").resolve(COMMIT).resolve("model.safetensors"));
        return repo;
    }

    private HubClient offlineClient() {
        // No HF_HOME: the default ~/.cache/huggingface/hub under the injected home is used.
        return new HubClient(
                HubSettings.fromEnvironment(Map.of("HF_HUB_OFFLINE", "1", "HF_ENDPOINT", "http://127.0.0.1:9"), home));
    }

    @Test
    void findsSymlinkedAndPlainEntriesOffline() throws IOException {
        Path repo = pythonCache();
        HubClient c = offlineClient();
        Path cfg = c.snapshotFile(REPO, "main", "config.json");
        assertEquals(repo.resolve("snapshots/" + COMMIT + "/config.json"), cfg);
        assertEquals("{\"model_type\": \"clip\"}", Files.readString(cfg, StandardCharsets.UTF_8));
        assertEquals("{}", Files.readString(c.snapshotFile(REPO, "main", "vocab.json")));
        assertEquals("#version: 0.2\n", Files.readString(c.snapshotFile(REPO, "main", "tokenizer/merges.txt")));
        // The commit hash is a revision too, and needs no ref.
        assertEquals(cfg, c.snapshotFile(REPO, COMMIT, "config.json"));
    }

    @Test
    void safetensorsFallsBackToBinAsTransformersDoes() throws IOException {
        pythonCache();
        HubClient c = offlineClient();
        assertEquals(Optional.empty(), c.probeFile(REPO, "main", "model.safetensors"));
        Path weights = c.probeFile(REPO, "main", "model.safetensors")
                .orElseGet(() -> c.snapshotFile(REPO, "main", "pytorch_model.bin"));
        assertEquals("not really a pickle", Files.readString(weights));
        HubException ex = assertThrows(HubException.class, () -> c.snapshotFile(REPO, "main", "model.safetensors"));
        assertEquals(HubException.Reason.FILE_NOT_FOUND, ex.reason());
    }

    @Test
    void snapshotDirOffline() throws IOException {
        Path repo = pythonCache();
        HubClient c = offlineClient();
        Path dir = c.snapshotDir(
                REPO,
                "main",
                List.of("config.json", "vocab.json"),
                List.of("model.safetensors", "pytorch_model.bin", "preprocessor_config.json"));
        assertEquals(repo.resolve("snapshots/" + COMMIT), dir);
        HubException ex = assertThrows(
                HubException.class, () -> c.snapshotDir(REPO, "main", List.of("preprocessor_config.json"), List.of()));
        assertEquals(HubException.Reason.NOT_CACHED, ex.reason());
        assertTrue(ex.getMessage().contains("preprocessor_config.json"), ex.getMessage());
    }

    @Test
    void unknownRevisionOfflineIsNotCached() throws IOException {
        pythonCache();
        HubException ex =
                assertThrows(HubException.class, () -> offlineClient().snapshotFile(REPO, "v2.0", "config.json"));
        assertEquals(HubException.Reason.NOT_CACHED, ex.reason());
        assertTrue(ex.getMessage().contains("v2.0") && ex.getMessage().contains(REPO), ex.getMessage());
    }

    @Test
    void brokenSymlinkCountsAsNotCached() throws IOException {
        Path repo = pythonCache();
        Files.delete(repo.resolve("blobs").resolve(CONFIG_ETAG));
        HubException ex =
                assertThrows(HubException.class, () -> offlineClient().snapshotFile(REPO, "main", "config.json"));
        assertEquals(HubException.Reason.NOT_CACHED, ex.reason());
    }

    @Test
    void garbageRefIsReportedWithItsPath() throws IOException {
        Path repo = pythonCache();
        Files.writeString(repo.resolve("refs/main"), "not-a-hash");
        HubException ex =
                assertThrows(HubException.class, () -> offlineClient().snapshotFile(REPO, "main", "config.json"));
        assertTrue(ex.getMessage().contains(repo.resolve("refs/main").toString()), ex.getMessage());
    }

    @Test
    void pathTraversalIsRefused() {
        HfCache cache = new HfCache(home);
        assertThrows(IllegalArgumentException.class, () -> cache.cachedFile(REPO, "../../x", "config.json"));
        assertThrows(IllegalArgumentException.class, () -> cache.cachedFile(REPO, "main", "../../../etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> cache.cachedFile(REPO, "main", "/etc/passwd"));
        assertThrows(IllegalArgumentException.class, () -> cache.repoDir("a/../b"));
        assertThrows(IllegalArgumentException.class, () -> cache.repoDir("a/b/c"));
        assertThrows(IllegalArgumentException.class, () -> cache.blobPath(REPO, "../evil"));
        assertEquals(home.resolve("models--gpt2"), cache.repoDir("gpt2"));
    }
}
