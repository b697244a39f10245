package dev.runa.demo;

import dev.runa.io.AtomicFile;
import dev.runa.io.CacheFolders;
import dev.runa.settings.SettingMessage;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Demo photos (and the self-check's reference image) on disk: a folder of local copies, or a cache
 * folder filled from each photo's URL on first use (atomically, so an interrupted download never
 * leaves a half file). A photo already present is used without any network access.
 */
public final class PhotoCache {
    private static final String USER_AGENT = "runa-java/0.1 (https://github.com/; demo photo fetch)";
    private final Path dir;
    private final boolean download;

    private PhotoCache(Path dir, boolean download) {
        this.dir = dir;
        this.download = download;
    }

    /** A cache that downloads missing photos into {@code dir}. */
    public static PhotoCache downloadingInto(Path dir) {
        return new PhotoCache(dir, true);
    }

    /** Local copies only: every photo must already be in {@code dir} under its manifest file name. */
    public static PhotoCache localOnly(Path dir) {
        return new PhotoCache(dir, false);
    }

    /** The default cache folder: {@code $XDG_CACHE_HOME/runa/demo} or {@code ~/.cache/runa/demo}. */
    public static Path defaultDir() {
        return CacheFolders.runa("demo");
    }

    /**
     * The photo's file, fetched first if needed.
     *
     * @throws IOException naming the photo, its URL and what to do when it is neither here nor fetchable
     */
    public Path get(DemoManifest.Photo photo) throws IOException {
        return get(
                photo.file(),
                photo.url(),
                "demo photo",
                "Without network, save the manifest's photos in a folder under their file names and give that"
                        + " folder as",
                "photos");
    }

    /**
     * Any file kept by the same rules as the demo photos: used as is when {@code dir} holds it,
     * otherwise fetched from {@code url} (when this cache downloads) into {@code dir} under
     * {@code file}.
     *
     * @param what          how messages name the file ("demo photo")
     * @param offlineAdvice what to do without network, up to the setting that takes a local copy
     * @param localSetting  the library name of that setting (front ends spell it their own way)
     * @throws IOException naming the file, its URL and what to do when it is neither here nor
     *     fetchable ({@link PhotoFetchException} when the fetch failed)
     */
    public Path get(String file, String url, String what, String offlineAdvice, String localSetting)
            throws IOException {
        if (file.contains("/") || file.contains("\\") || file.startsWith(".")) {
            throw new IllegalArgumentException("file '" + file + "' must be a plain file name");
        }
        Path path = dir.resolve(file);
        if (Files.isRegularFile(path)) {
            return path;
        }
        if (!download) {
            throw new IOException(what + " " + file + " is not in " + dir + " (download it from " + url
                    + " and save it there under that name)");
        }
        HttpClient http = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(15))
                .build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url))
                .timeout(Duration.ofSeconds(60))
                .header("User-Agent", USER_AGENT)
                .GET()
                .build();
        try {
            HttpResponse<InputStream> resp = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream body = resp.body()) {
                if (resp.statusCode() != 200) {
                    throw new IOException("HTTP " + resp.statusCode());
                }
                AtomicFile.write(path, body::transferTo);
            }
        } catch (IOException e) {
            throw new PhotoFetchException(
                    new SettingMessage(
                            "cannot fetch " + what + " " + file + " from " + url + " (" + describe(e) + "). "
                                    + offlineAdvice + " ",
                            localSetting,
                            ", or put it in " + dir),
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while fetching " + url, e);
        }
        return path;
    }

    /** The folder files are kept in. */
    public Path dir() {
        return dir;
    }

    private static String describe(IOException e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
    }
}
