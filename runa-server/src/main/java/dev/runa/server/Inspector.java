package dev.runa.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The web inspector's files (page, script, style), read once from the jar. Everything the page
 * needs comes from this server: the Content-Security-Policy below forbids any other origin.
 */
final class Inspector {
    /** Only this origin; images the user picks are shown through blob: URLs. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self';"
            + " img-src 'self' blob: data:; connect-src 'self'; base-uri 'none'; form-action 'none';"
            + " frame-ancestors 'none'";

    /** A served file: its bytes and content type. */
    record Asset(byte[] bytes, String contentType) {}

    private final Map<String, Asset> assets;

    Inspector() {
        assets = Map.of(
                "/", load("index.html", "text/html; charset=utf-8"),
                "/inspector.js", load("inspector.js", "text/javascript; charset=utf-8"),
                "/inspector.css", load("inspector.css", "text/css; charset=utf-8"));
    }

    /** The asset served at {@code path}, or null. */
    Asset get(String path) {
        return assets.get(path);
    }

    /** Paths of every asset. */
    Iterable<String> paths() {
        return assets.keySet();
    }

    private static Asset load(String name, String type) {
        try (InputStream in = Inspector.class.getResourceAsStream("inspector/" + name)) {
            if (in == null) {
                throw new IllegalStateException("inspector file " + name + " is missing from the jar");
            }
            return new Asset(in.readAllBytes(), type);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
