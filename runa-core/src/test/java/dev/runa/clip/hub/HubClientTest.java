package dev.runa.clip.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Downloads against {@link FakeHub} on 127.0.0.1; no test reaches the internet. */
@Timeout(60)
class HubClientTest {
    private static final String REPO = "org/tiny-clip";
    private static final String COMMIT = FakeHub.COMMIT;

    @TempDir
    Path tmp;

    private FakeHub hub;
    private Path cacheDir;
    private final byte[] config = "{\"projection_dim\": 8}".getBytes(StandardCharsets.UTF_8);
    private final byte[] weights = randomBytes(300_001); // odd length: the truncation splits it unevenly

    @BeforeEach
    void start() throws IOException {
        hub = new FakeHub().add(REPO, "config.json", config, false).add(REPO, "model.safetensors", weights, true);
        cacheDir = tmp.resolve("hf-home/hub");
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private HubSettings settings(String token) {
        // Stalls are cut after 5 s so that a broken test ends quickly instead of hanging.
        return HubSettings.fromEnvironment(
                        Map.of("HF_HOME", tmp.resolve("hf-home").toString()), tmp)
                .withEndpoint(hub.endpoint())
                .withToken(token)
                .withTimeout(Duration.ofSeconds(5));
    }

    private HubClient client() {
        return new HubClient(settings(null));
    }

    @Test
    void downloadsIntoThePythonLayout() throws IOException {
        HubClient c = client();
        Path cfg = c.snapshotFile(REPO, "main", "config.json");
        Path model = c.snapshotFile(REPO, "main", "model.safetensors");

        Path repoDir = cacheDir.resolve("models--org--tiny-clip");
        assertEquals(repoDir.resolve("snapshots/" + COMMIT + "/model.safetensors"), model);
        assertEquals(COMMIT, Files.readString(repoDir.resolve("refs/main")));
        assertArrayEquals(weights, Files.readAllBytes(model));
        assertArrayEquals(config, Files.readAllBytes(cfg));
        String lfsEtag = hub.etagOf(REPO, "model.safetensors");
        assertTrue(Files.isSymbolicLink(model), "snapshot entries are symlinks into blobs/");
        assertEquals(Path.of("../../blobs/" + lfsEtag), Files.readSymbolicLink(model));
        assertEquals(
                Path.of("../../blobs/" + hub.etagOf(REPO, "config.json")),
                Files.readSymbolicLink(cfg),
                "quotes and W/ are stripped from the ETag");
        try (var blobs = Files.list(repoDir.resolve("blobs"))) {
            assertTrue(blobs.noneMatch(p -> p.toString().endsWith(".incomplete")));
        }
    }

    @Test
    void secondCallReusesTheBlobWithoutDownloading() {
        HubClient c = client();
        c.snapshotFile(REPO, "main", "model.safetensors");
        int cdnGets = hub.requests("cdn").size();
        c.snapshotFile(REPO, "main", "model.safetensors");
        assertEquals(cdnGets, hub.requests("cdn").size(), "a cached file is not fetched again");
    }

    @Test
    void cachedFilesAreFoundOfflineAndWhenTheHubIsUnreachable() throws IOException {
        Path model = client().snapshotFile(REPO, "main", "model.safetensors");
        hub.close();
        HubSettings offline = HubSettings.fromEnvironment(
                Map.of(
                        "HF_HOME",
                        tmp.resolve("hf-home").toString(),
                        "HF_HUB_OFFLINE",
                        "1",
                        "HF_ENDPOINT",
                        hub.endpoint().toString()),
                tmp);
        assertTrue(offline.offline());
        assertEquals(model, new HubClient(offline).snapshotFile(REPO, "main", "model.safetensors"));
        // Online settings but a stopped server: connection refused, fall back to the cache.
        assertEquals(model, client().snapshotFile(REPO, "main", "model.safetensors"));
        assertArrayEquals(weights, Files.readAllBytes(model));
    }

    @Test
    void hubErrorFallsBackToTheCache() {
        Path cfg = client().snapshotFile(REPO, "main", "config.json");
        hub.forceStatus(REPO, 503);
        assertEquals(cfg, client().snapshotFile(REPO, "main", "config.json"));
        HubException ex = assertThrows(HubException.class, () -> client().snapshotFile(REPO, "main", "vocab.json"));
        assertEquals(HubException.Reason.TRANSFER_FAILED, ex.reason());
        assertTrue(ex.getMessage().contains("503"), ex.getMessage());
    }

    @Test
    void offlineMissNamesRepoFileAndCache() {
        HubClient offline = new HubClient(settings(null).withOffline(true));
        HubException ex = assertThrows(HubException.class, () -> offline.snapshotFile(REPO, "main", "config.json"));
        assertEquals(HubException.Reason.NOT_CACHED, ex.reason());
        assertTrue(
                ex.getMessage().contains(REPO)
                        && ex.getMessage().contains("config.json")
                        && ex.getMessage().contains("HF_HUB_OFFLINE")
                        && ex.getMessage()
                                .contains(cacheDir.resolve("models--org--tiny-clip")
                                        .toString()),
                ex.getMessage());
        assertEquals(Optional.empty(), offline.probeFile(REPO, "main", "config.json"));
        assertTrue(hub.requests.isEmpty(), "offline mode never touches the network");
    }

    @Test
    void resumesAnInterruptedDownloadInALaterRun() throws IOException {
        hub.truncateNextGets("model.safetensors", 1);
        HubClient once = new HubClient(settings(null).withDownloadAttempts(1));
        HubException ex = assertThrows(HubException.class, () -> once.snapshotFile(REPO, "main", "model.safetensors"));
        assertEquals(HubException.Reason.TRANSFER_FAILED, ex.reason());
        Path partial = once.cache().incompletePath(REPO, hub.etagOf(REPO, "model.safetensors"));
        long half = Files.size(partial);
        assertTrue(half > 0 && half < weights.length, "partial file kept: " + half);

        Path model = once.snapshotFile(REPO, "main", "model.safetensors");
        assertArrayEquals(weights, Files.readAllBytes(model));
        List<FakeHub.Request> gets = hub.requests("cdn");
        assertEquals("bytes=" + half + "-", gets.get(gets.size() - 1).range());
        assertFalse(Files.exists(partial));
    }

    @Test
    void retriesWithinOneCallByResuming() throws IOException {
        hub.truncateNextGets("model.safetensors", 2);
        Path model =
                new HubClient(settings(null).withDownloadAttempts(3)).snapshotFile(REPO, "main", "model.safetensors");
        assertArrayEquals(weights, Files.readAllBytes(model));
        List<FakeHub.Request> gets = hub.requests("cdn");
        assertEquals(3, gets.size());
        assertNull(gets.get(0).range());
        assertTrue(gets.get(1).range() != null && gets.get(2).range() != null);
    }

    @Test
    void aStalledTransferIsAbandonedAndResumed() throws IOException {
        hub.stallNextGets("model.safetensors", 1);
        // 2 s without a byte counts as a stall; the retry resumes from what the stalled one wrote. A
        // third attempt is allowed so that a pause of this JVM on a loaded machine (which also looks
        // like a stall) does not fail the test; the stall must still cost a retry that resumes.
        HubClient c =
                new HubClient(settings(null).withTimeout(Duration.ofSeconds(2)).withDownloadAttempts(3));
        assertArrayEquals(weights, Files.readAllBytes(c.snapshotFile(REPO, "main", "model.safetensors")));
        List<FakeHub.Request> gets = hub.requests("cdn");
        assertTrue(gets.size() == 2 || gets.size() == 3, gets.toString());
        assertTrue(gets.get(1).range() != null && !gets.get(1).range().equals("bytes=0-"), gets.toString());
    }

    @Test
    void progressReportsTheWholeFileAcrossAResumedAttempt() throws IOException {
        hub.truncateNextGets("model.safetensors", 1); // progress must also survive a resumed attempt
        List<Long> seen = new ArrayList<>();
        boolean[] closed = {false};
        DownloadProgress.Factory recording = (name, size, have) -> new DownloadProgress() {
            @Override
            public void bytesSoFar(long bytes) {
                seen.add(bytes);
            }

            @Override
            public void close() {
                closed[0] = true;
            }
        };
        Path model = new HubClient(settings(null).withProgress(true), recording)
                .snapshotFile(REPO, "main", "model.safetensors");
        assertArrayEquals(weights, Files.readAllBytes(model));
        assertEquals((long) weights.length, seen.get(seen.size() - 1));
        assertTrue(closed[0]);
    }

    @Test
    void corruptLfsContentIsRejectedAndDropped() throws IOException {
        HubClient c = client();
        Path partial = c.cache().incompletePath(REPO, hub.etagOf(REPO, "model.safetensors"));
        Files.createDirectories(partial.getParent());
        // A partial file whose first byte differs from the hub's: the resumed whole fails the SHA-256.
        byte[] wrongStart = {(byte) (weights[0] ^ 1)};
        Files.write(partial, wrongStart);
        HubException ex = assertThrows(HubException.class, () -> c.snapshotFile(REPO, "main", "model.safetensors"));
        assertTrue(ex.getMessage().contains("SHA-256"), ex.getMessage());
        assertFalse(Files.exists(partial));
        assertArrayEquals(weights, Files.readAllBytes(c.snapshotFile(REPO, "main", "model.safetensors")));
    }

    @Test
    void missingFileIsAnEmptyProbeAndAClearError() {
        HubClient c = client();
        assertEquals(Optional.empty(), c.probeFile(REPO, "main", "pytorch_model.bin"));
        assertTrue(
                Files.exists(cacheDir.resolve("models--org--tiny-clip/.no_exist/" + COMMIT + "/pytorch_model.bin")),
                "absence recorded as huggingface_hub does");
        HubException ex = assertThrows(HubException.class, () -> c.snapshotFile(REPO, "main", "pytorch_model.bin"));
        assertEquals(HubException.Reason.FILE_NOT_FOUND, ex.reason());
        assertTrue(
                ex.getMessage().contains("pytorch_model.bin") && ex.getMessage().contains(REPO), ex.getMessage());
        // Offline, the recorded absence still answers the probe.
        assertEquals(
                Optional.empty(),
                new HubClient(settings(null).withOffline(true)).probeFile(REPO, "main", "pytorch_model.bin"));
    }

    @Test
    void missingRepoThrowsEvenFromAProbe() {
        HubException ex = assertThrows(HubException.class, () -> client().probeFile("org/nope", "main", "config.json"));
        assertEquals(HubException.Reason.REPO_NOT_FOUND, ex.reason());
        assertTrue(ex.getMessage().contains("org/nope") && ex.getMessage().contains("404"), ex.getMessage());
    }

    @Test
    void unauthorisedMentionsHfToken() {
        hub.forceStatus(REPO, 401);
        HubException ex = assertThrows(HubException.class, () -> client().snapshotFile(REPO, "main", "config.json"));
        assertEquals(HubException.Reason.ACCESS_DENIED, ex.reason());
        assertTrue(
                ex.getMessage().contains("HF_TOKEN")
                        && ex.getMessage().contains("401")
                        && ex.getMessage().contains(REPO),
                ex.getMessage());
    }

    @Test
    void tokenGoesToTheHubButNotToTheCdn() {
        new HubClient(settings("hf_secret")).snapshotFile(REPO, "main", "model.safetensors");
        List<FakeHub.Request> hubReqs = hub.requests("hub");
        List<FakeHub.Request> cdnReqs = hub.requests("cdn");
        assertFalse(hubReqs.isEmpty());
        assertFalse(cdnReqs.isEmpty());
        hubReqs.forEach(r -> assertEquals("Bearer hf_secret", r.authorization()));
        cdnReqs.forEach(r -> assertNull(r.authorization(), "token leaked to " + r));
    }

    @Test
    void noTokenNoAuthorizationHeader() {
        client().snapshotFile(REPO, "main", "config.json");
        hub.requests.forEach(r -> assertNull(r.authorization()));
    }

    @Test
    void snapshotDirPinsOneCommitAndSkipsAbsentOptionalFiles() {
        Path dir = client().snapshotDir(
                        REPO,
                        "main",
                        List.of("config.json", "model.safetensors"),
                        List.of("pytorch_model.bin", "merges.txt"));
        assertEquals(cacheDir.resolve("models--org--tiny-clip/snapshots/" + COMMIT), dir);
        assertTrue(Files.isRegularFile(dir.resolve("model.safetensors")));
        assertFalse(Files.exists(dir.resolve("pytorch_model.bin")));
        // Files after the first are asked for at the commit, not the branch.
        assertTrue(
                hub.requests("hub").stream().skip(1).allMatch(r -> r.path().contains("/resolve/" + COMMIT + "/")),
                hub.requests("hub").toString());
        HubException ex = assertThrows(
                HubException.class,
                () -> client().snapshotDir(REPO, "main", List.of("config.json", "vocab.json"), List.of()));
        assertEquals(HubException.Reason.FILE_NOT_FOUND, ex.reason());
    }

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(42).nextBytes(b);
        return b;
    }
}
