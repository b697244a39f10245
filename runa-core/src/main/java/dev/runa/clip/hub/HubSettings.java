package dev.runa.clip.hub;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Resolved hub settings, read from the same environment variables as Python's
 * {@code huggingface_hub} (see its {@code constants.py}) so both share one cache and one token.
 *
 * @param endpoint        hub base URL without trailing slash ({@code HF_ENDPOINT}, default
 *                        {@code https://huggingface.co})
 * @param token           bearer token ({@code HF_TOKEN}, legacy {@code HUGGING_FACE_HUB_TOKEN}, else
 *                        the file {@code HF_TOKEN_PATH} or {@code $HF_HOME/token})
 * @param offline         never touch the network ({@code HF_HUB_OFFLINE} or {@code TRANSFORMERS_OFFLINE}
 *                        set to 1/ON/YES/TRUE)
 * @param cacheDir        hub cache root ({@code HF_HUB_CACHE}, legacy {@code HUGGINGFACE_HUB_CACHE},
 *                        else {@code $HF_HOME/hub}, {@code HF_HOME} defaulting to
 *                        {@code $XDG_CACHE_HOME/huggingface} or {@code ~/.cache/huggingface})
 * @param timeout         connect timeout, and the longest a transfer may stall before it is abandoned
 *                        ({@code HF_HUB_DOWNLOAD_TIMEOUT} seconds, default 10 as in Python)
 * @param progress        draw a progress bar on stderr
 * @param downloadAttempts how many times one file transfer is tried (resuming with a Range request)
 *                        before giving up; at least 1
 */
public record HubSettings(
        URI endpoint,
        Optional<String> token,
        boolean offline,
        Path cacheDir,
        Duration timeout,
        boolean progress,
        int downloadAttempts) {

    /** Python's default endpoint. */
    public static final String DEFAULT_ENDPOINT = "https://huggingface.co";

    private static final Set<String> TRUE_VALUES = Set.of("1", "ON", "YES", "TRUE");

    public HubSettings {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(token, "token");
        Objects.requireNonNull(cacheDir, "cacheDir");
        Objects.requireNonNull(timeout, "timeout");
        String e = endpoint.toString();
        if (e.endsWith("/")) {
            endpoint = URI.create(e.replaceAll("/+$", ""));
        }
        String scheme = endpoint.getScheme();
        if (endpoint.getHost() == null || !("https".equals(scheme) || "http".equals(scheme))) {
            throw new IllegalArgumentException("hub endpoint must be an http(s) URL, got '" + e + "'");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("hub timeout must be positive, got " + timeout);
        }
        if (downloadAttempts < 1) {
            throw new IllegalArgumentException("downloadAttempts must be >= 1, got " + downloadAttempts);
        }
    }

    /** Settings from this process's environment; a progress bar only when attached to a console. */
    public static HubSettings fromEnvironment() {
        String home = System.getenv("HOME"); // as Python's expanduser: $HOME first
        return fromEnvironment(
                        System.getenv(),
                        Path.of(home != null && !home.isBlank() ? home : System.getProperty("user.home")))
                .withProgress(System.console() != null && !isTrue(System.getenv("HF_HUB_DISABLE_PROGRESS_BARS")));
    }

    /**
     * Settings from the given environment map and home directory (tests inject both). The token file
     * is read if it exists; progress bars are off.
     */
    public static HubSettings fromEnvironment(Map<String, String> env, Path home) {
        Path hfHome = expand(env.get("HF_HOME"), home)
                .orElseGet(() -> expand(env.get("XDG_CACHE_HOME"), home)
                        .orElse(home.resolve(".cache"))
                        .resolve("huggingface"));
        Path cache = expand(env.get("HF_HUB_CACHE"), home)
                .or(() -> expand(env.get("HUGGINGFACE_HUB_CACHE"), home))
                .orElse(hfHome.resolve("hub"));
        Optional<String> token = nonBlank(env.get("HF_TOKEN"))
                .or(() -> nonBlank(env.get("HUGGING_FACE_HUB_TOKEN")))
                .or(() -> readToken(expand(env.get("HF_TOKEN_PATH"), home).orElse(hfHome.resolve("token"))));
        boolean offline = isTrue(env.get("HF_HUB_OFFLINE")) || isTrue(env.get("TRANSFORMERS_OFFLINE"));
        URI endpoint = URI.create(nonBlank(env.get("HF_ENDPOINT")).orElse(DEFAULT_ENDPOINT));
        Duration timeout = Duration.ofSeconds(nonBlank(env.get("HF_HUB_DOWNLOAD_TIMEOUT"))
                .map(v -> parseSeconds("HF_HUB_DOWNLOAD_TIMEOUT", v))
                .orElse(10L));
        return new HubSettings(endpoint, token, offline, cache, timeout, false, 3);
    }

    public HubSettings withProgress(boolean on) {
        return new HubSettings(endpoint, token, offline, cacheDir, timeout, on, downloadAttempts);
    }

    public HubSettings withOffline(boolean on) {
        return new HubSettings(endpoint, token, on, cacheDir, timeout, progress, downloadAttempts);
    }

    public HubSettings withEndpoint(URI uri) {
        return new HubSettings(uri, token, offline, cacheDir, timeout, progress, downloadAttempts);
    }

    public HubSettings withToken(String t) {
        return new HubSettings(endpoint, nonBlank(t), offline, cacheDir, timeout, progress, downloadAttempts);
    }

    public HubSettings withTimeout(Duration t) {
        return new HubSettings(endpoint, token, offline, cacheDir, t, progress, downloadAttempts);
    }

    public HubSettings withDownloadAttempts(int n) {
        return new HubSettings(endpoint, token, offline, cacheDir, timeout, progress, n);
    }

    /** Never prints the token itself. */
    @Override
    public String toString() {
        return "HubSettings[endpoint=" + endpoint + ", token=" + (token.isPresent() ? "<set>" : "<none>")
                + ", offline=" + offline + ", cacheDir=" + cacheDir + ", timeout=" + timeout
                + ", progress=" + progress + ", downloadAttempts=" + downloadAttempts + "]";
    }

    private static boolean isTrue(String v) {
        return v != null && TRUE_VALUES.contains(v.trim().toUpperCase(Locale.ROOT));
    }

    private static Optional<String> nonBlank(String v) {
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    /** Python applies expanduser to these paths; a leading {@code ~} is what users actually write. */
    private static Optional<Path> expand(String v, Path home) {
        return nonBlank(v)
                .map(s -> s.equals("~") ? home : s.startsWith("~/") ? home.resolve(s.substring(2)) : Path.of(s));
    }

    private static Optional<String> readToken(Path file) {
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return nonBlank(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new UncheckedIOException("cannot read Hugging Face token file " + file, ex);
        }
    }

    private static long parseSeconds(String name, String v) {
        try {
            long s = Math.round(Double.parseDouble(v));
            if (s <= 0) {
                throw new NumberFormatException();
            }
            return s;
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException(name + " must be a positive number of seconds, got '" + v + "'");
        }
    }
}
