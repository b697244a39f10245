package dev.runa.clip.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Precedence as in huggingface_hub's constants.py. */
class HubSettingsTest {
    @TempDir
    Path home;

    private HubSettings of(Map<String, String> env) {
        return HubSettings.fromEnvironment(env, home);
    }

    @Test
    void defaults() {
        HubSettings s = of(Map.of());
        assertEquals(home.resolve(".cache/huggingface/hub"), s.cacheDir());
        assertEquals(URI.create("https://huggingface.co"), s.endpoint());
        assertEquals(Optional.empty(), s.token());
        assertFalse(s.offline());
        assertFalse(s.progress());
        assertEquals(Duration.ofSeconds(10), s.timeout());
    }

    @Test
    void cacheDirPrecedence() {
        assertEquals(
                Path.of("/x/huggingface/hub"),
                of(Map.of("XDG_CACHE_HOME", "/x")).cacheDir());
        assertEquals(
                Path.of("/h/hub"),
                of(Map.of("XDG_CACHE_HOME", "/x", "HF_HOME", "/h")).cacheDir());
        assertEquals(
                Path.of("/legacy"),
                of(Map.of("HF_HOME", "/h", "HUGGINGFACE_HUB_CACHE", "/legacy")).cacheDir());
        assertEquals(
                Path.of("/c"),
                of(Map.of("HF_HOME", "/h", "HUGGINGFACE_HUB_CACHE", "/legacy", "HF_HUB_CACHE", "/c"))
                        .cacheDir());
        assertEquals(home.resolve("hf/hub"), of(Map.of("HF_HOME", "~/hf")).cacheDir());
    }

    @Test
    void tokenFromEnvThenFile() throws IOException {
        Path hfHome = Files.createDirectories(home.resolve("hf"));
        Files.writeString(hfHome.resolve("token"), "hf_file\n");
        assertEquals(
                Optional.of("hf_file"), of(Map.of("HF_HOME", hfHome.toString())).token());
        assertEquals(
                Optional.of("hf_env"),
                of(Map.of("HF_HOME", hfHome.toString(), "HF_TOKEN", "hf_env")).token());
        Path other = home.resolve("tok");
        Files.writeString(other, "hf_path");
        assertEquals(
                Optional.of("hf_path"),
                of(Map.of("HF_TOKEN_PATH", other.toString())).token());
        Files.createDirectories(home.resolve(".cache/huggingface"));
        Files.writeString(home.resolve(".cache/huggingface/token"), "hf_default");
        assertEquals(Optional.of("hf_default"), of(Map.of()).token());
    }

    @Test
    void offlineValuesAsPython() {
        for (String v : new String[] {"1", "true", "ON", "yes"}) {
            assertTrue(of(Map.of("HF_HUB_OFFLINE", v)).offline(), v);
        }
        assertTrue(of(Map.of("TRANSFORMERS_OFFLINE", "1")).offline());
        assertFalse(of(Map.of("HF_HUB_OFFLINE", "0")).offline());
    }

    @Test
    void endpointAndTimeout() {
        HubSettings s = of(Map.of("HF_ENDPOINT", "https://hf-mirror.example/", "HF_HUB_DOWNLOAD_TIMEOUT", "30"));
        assertEquals(URI.create("https://hf-mirror.example"), s.endpoint());
        assertEquals(Duration.ofSeconds(30), s.timeout());
        IllegalArgumentException bad =
                assertThrows(IllegalArgumentException.class, () -> of(Map.of("HF_HUB_DOWNLOAD_TIMEOUT", "soon")));
        assertTrue(bad.getMessage().contains("HF_HUB_DOWNLOAD_TIMEOUT"));
        assertThrows(IllegalArgumentException.class, () -> of(Map.of("HF_ENDPOINT", "ftp://x")));
    }

    @Test
    void toStringHidesTheToken() {
        assertFalse(of(Map.of("HF_TOKEN", "hf_secret")).toString().contains("hf_secret"));
    }
}
