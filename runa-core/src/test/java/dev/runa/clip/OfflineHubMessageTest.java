package dev.runa.clip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runa.clip.hub.HubClient;
import dev.runa.clip.hub.HubException;
import dev.runa.clip.hub.HubSettings;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 9, item 11: an unreachable hub is said to be unreachable, with the ways to work offline. */
class OfflineHubMessageTest {
    @TempDir
    Path tmp;

    @Test
    void anUnreachableHubIsNamedWithTheWaysToWorkOffline() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort(); // closed again: connections are refused
        }
        HubSettings settings = HubSettings.fromEnvironment(
                        Map.of("HF_HOME", tmp.resolve("hf").toString()), tmp)
                .withEndpoint(URI.create("http://127.0.0.1:" + port))
                .withTimeout(Duration.ofSeconds(5))
                .withProgress(false);
        ClipLoader loader = new ClipLoader(new HubClient(settings), EncoderOptions.defaults());
        HubException e = assertThrows(HubException.class, () -> loader.load("openai/clip-vit-base-patch16"));
        assertEquals(HubException.Reason.NOT_CACHED, e.reason());
        String m = e.getMessage();
        assertTrue(m.contains("hub is unreachable") && m.contains("cannot reach"), m);
        assertTrue(m.contains("HF_HUB_OFFLINE") && m.contains("local model folder") && m.contains("random:"), m);
    }
}
