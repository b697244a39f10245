package dev.runa.clip.hub;

import dev.runa.clip.hub.HubException.Reason;
import dev.runa.io.Sha256;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Fetches files of Hugging Face model repositories into the shared hub cache ({@link HfCache}) and
 * returns their paths there, reusing what Python or an earlier run already downloaded.
 *
 * <p>Online, every call asks the hub (one HEAD per file) which commit the revision is at, so a moved
 * branch is noticed; a file already in the cache for that commit is not downloaded again. If the hub
 * cannot be reached, the cached copy is used. With {@link HubSettings#offline()} the network is never
 * touched. Downloads go to {@code blobs/ETAG.incomplete}, resume from it with a Range request (also
 * in a later run), and are checked against the announced size and, for LFS files, the SHA-256 that
 * their ETag is.
 *
 * <p>Safe to share between threads; concurrent downloads of the same blob are serialised by a lock
 * file (which also excludes other Java processes, though not Python's, which uses another lock kind).
 */
public final class HubClient {
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    private final HubSettings settings;
    private final DownloadProgress.Factory progress;
    private final HfCache cache;
    private final HubHttp http;
    private final ConcurrentHashMap<Path, Object> blobMonitors = new ConcurrentHashMap<>();

    public HubClient(HubSettings settings) {
        this(settings, DownloadProgress.Factory.NONE);
    }

    /**
     * A client whose downloads report to {@code progress} when {@link HubSettings#progress()} is on.
     */
    public HubClient(HubSettings settings, DownloadProgress.Factory progress) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.cache = new HfCache(settings.cacheDir());
        this.http = settings.offline() ? null : new HubHttp(settings);
    }

    public HubSettings settings() {
        return settings;
    }

    public HfCache cache() {
        return cache;
    }

    /**
     * The local path of {@code filename} in {@code repoId} at {@code revision} (branch, tag or commit
     * hash), downloading it if needed. The path is {@code snapshots/COMMIT/FILENAME} in the cache.
     *
     * @throws HubException naming the repo, file and cause: {@link Reason#FILE_NOT_FOUND},
     *                      {@link Reason#REPO_NOT_FOUND}, {@link Reason#ACCESS_DENIED} (set HF_TOKEN),
     *                      {@link Reason#NOT_CACHED} (offline), {@link Reason#TRANSFER_FAILED}
     */
    public Path snapshotFile(String repoId, String revision, String filename) {
        Lookup l = lookup(repoId, revision, filename);
        if (l instanceof Found f) {
            return f.path();
        }
        if (l instanceof NotCached n) {
            throw n.error();
        }
        throw new HubException(
                Reason.FILE_NOT_FOUND,
                repoId,
                filename,
                "file '" + filename
                        + "' does not exist in Hugging Face repo " + repoId + " at revision '" + revision + "'"
                        + (settings.offline() ? " (recorded in the cache " + cache.repoDir(repoId) + ")" : ""));
    }

    /**
     * Like {@link #snapshotFile} but empty when the repository has no such file (HTTP 404
     * {@code EntryNotFound}, or the cache's {@code .no_exist} marker), so callers can try
     * {@code model.safetensors} and fall back to {@code pytorch_model.bin}. Offline, a file that is not
     * cached also reads as empty: the cache is all that can be known then, and the fallback's own
     * {@link #snapshotFile} call reports the offline miss. A missing repository still throws.
     */
    public Optional<Path> probeFile(String repoId, String revision, String filename) {
        Lookup l = lookup(repoId, revision, filename);
        return l instanceof Found f ? Optional.of(f.path()) : Optional.empty();
    }

    /**
     * Fetches {@code wanted} (all required) and whichever of {@code optional} exist, pinned to one
     * commit, and returns {@code snapshots/COMMIT}, the folder that holds them. Paths inside it are
     * the repo's file names; absent optional files are simply not there.
     */
    public Path snapshotDir(String repoId, String revision, List<String> wanted, List<String> optional) {
        LinkedHashSet<String> all = new LinkedHashSet<>(wanted);
        all.addAll(optional);
        String rev = revision;
        String commit = null;
        for (String file : all) {
            Lookup l = lookup(repoId, rev, file);
            boolean required = wanted.contains(file);
            if (l instanceof NotCached n && required) {
                throw n.error();
            }
            if (l instanceof Absent && required) {
                throw new HubException(
                        Reason.FILE_NOT_FOUND,
                        repoId,
                        file,
                        "file '" + file + "' does not exist in Hugging Face repo " + repoId + " at revision '"
                                + revision + "'");
            }
            if (l.commit() != null) {
                commit = l.commit();
                rev = commit; // every later file comes from the same commit, even if the branch moves
            }
        }
        if (commit == null) {
            commit = cache.commitFor(repoId, revision)
                    .orElseThrow(
                            () -> notCached(repoId, revision, null, "revision '" + revision + "' is not in the cache"));
        }
        Path dir = cache.snapshotDir(repoId, commit);
        try {
            Files.createDirectories(dir);
        } catch (IOException ex) {
            throw new HubException(Reason.CACHE_IO, repoId, null, "cannot create " + dir + ": " + ex, ex);
        }
        return dir;
    }

    // ---- one file -------------------------------------------------------------------------------

    private sealed interface Lookup permits Found, Absent, NotCached {
        String commit();
    }

    private record Found(Path path, String commit) implements Lookup {}

    /** The repo lacks the file; commit is null when unknown. */
    private record Absent(String commit) implements Lookup {}

    private record NotCached(HubException error) implements Lookup {
        @Override
        public String commit() {
            return null;
        }
    }

    private Lookup lookup(String repoId, String revision, String filename) {
        HfCache.checkRepoId(repoId);
        HfCache.checkRevision(revision);
        HfCache.checkFilename(filename);
        if (settings.offline()) {
            return fromCache(repoId, revision, filename, "HF_HUB_OFFLINE is set");
        }
        URI url = resolveUrl(repoId, revision, filename);
        HubHttp.Head head;
        try {
            head = http.head(url);
        } catch (IOException ex) {
            // As huggingface_hub: an unreachable hub is no reason to refuse a file we already have.
            return fromCache(repoId, revision, filename, "cannot reach " + settings.endpoint() + " (" + ex + ")");
        }
        int status = head.status();
        if (status == 404
                && !head.errorCode()
                        .filter(c -> c.equals("RepoNotFound") || c.equals("RevisionNotFound"))
                        .isPresent()) {
            Optional<String> commit = head.commit().filter(HfCache::isCommitHash);
            commit.ifPresent(c -> {
                cache.writeRef(repoId, revision, c);
                cache.markMissing(repoId, c, filename);
            });
            return new Absent(commit.orElse(null));
        }
        if (status >= 400) {
            // As huggingface_hub: a refused token or a hub outage does not take away a cached file.
            Optional<Path> cached = cache.cachedFile(repoId, revision, filename);
            if (cached.isPresent()) {
                return new Found(cached.get(), cache.commitFor(repoId, revision).orElseThrow());
            }
            throw statusError(repoId, revision, filename, status, head.errorCode(), url);
        }
        String commit = head.commit()
                .filter(HfCache::isCommitHash)
                .orElseThrow(() -> new HubException(
                        Reason.TRANSFER_FAILED,
                        repoId,
                        filename,
                        url + " answered without an X-Repo-Commit header " + "holding a commit hash: is "
                                + settings.endpoint() + " a Hugging Face hub?"));
        String etag = head.etag()
                .orElseThrow(() -> new HubException(
                        Reason.TRANSFER_FAILED,
                        repoId,
                        filename,
                        url + " answered without an ETag: cannot place the file in the cache"));
        cache.writeRef(repoId, revision, commit);
        Path snapshot = cache.snapshotPath(repoId, commit, filename);
        if (Files.isRegularFile(snapshot)) {
            return new Found(snapshot, commit);
        }
        // Not redirected: fetch by commit rather than branch, so the bytes match the HEAD's ETag even
        // if the branch moves in between.
        URI source = head.location().equals(url) ? resolveUrl(repoId, commit, filename) : head.location();
        fetchBlob(repoId, revision, filename, etag, head.size(), source);
        return new Found(cache.linkSnapshot(repoId, commit, filename, etag), commit);
    }

    private Lookup fromCache(String repoId, String revision, String filename, String why) {
        Optional<Path> cached = cache.cachedFile(repoId, revision, filename);
        if (cached.isPresent()) {
            return new Found(cached.get(), cache.commitFor(repoId, revision).orElseThrow());
        }
        if (cache.knownMissing(repoId, revision, filename)) {
            return new Absent(cache.commitFor(repoId, revision).orElseThrow());
        }
        return new NotCached(notCached(repoId, revision, filename, why));
    }

    private HubException notCached(String repoId, String revision, String filename, String why) {
        String what = filename == null
                ? "revision '" + revision + "'"
                : "file '" + filename + "' at revision '" + revision + "'";
        return new HubException(
                Reason.NOT_CACHED,
                repoId,
                filename,
                why + " and " + what
                        + " of Hugging Face repo " + repoId + " is not in the cache " + cache.repoDir(repoId)
                        + " (download it once online, or point HF_HUB_CACHE/HF_HOME at a cache that has it)");
    }

    private HubException statusError(
            String repoId, String revision, String filename, int status, Optional<String> errorCode, URI url) {
        String code = errorCode.map(c -> ", " + c).orElse("");
        if (status == 401 || status == 403) {
            boolean gated = errorCode.filter("GatedRepo"::equals).isPresent();
            String hint = gated
                    ? "the repo is gated: accept its terms on the hub, then use a token of that account in HF_TOKEN"
                    : settings.token().isPresent()
                            ? "the token from HF_TOKEN (or the token file) was refused or lacks access"
                            : "the repo may be private or gated, or may not exist: set HF_TOKEN to an access token";
            return new HubException(
                    Reason.ACCESS_DENIED,
                    repoId,
                    filename,
                    "access to Hugging Face repo " + repoId + " denied (HTTP " + status + code + ") fetching '"
                            + filename + "' from " + url + ": " + hint);
        }
        if (status == 404) {
            return new HubException(
                    Reason.REPO_NOT_FOUND,
                    repoId,
                    filename,
                    "Hugging Face repo " + repoId
                            + " or its revision '" + revision + "' not found (HTTP 404" + code + ") fetching '"
                            + filename
                            + "' from " + url + ": check the name, or set HF_TOKEN for a private repo");
        }
        return new HubException(
                Reason.TRANSFER_FAILED,
                repoId,
                filename,
                "fetching '" + filename + "' of Hugging Face repo " + repoId + " failed: HTTP " + status + code
                        + " from " + url);
    }

    URI resolveUrl(String repoId, String revision, String filename) {
        String path = "/" + repoId + "/resolve/"
                + URLEncoder.encode(revision, StandardCharsets.UTF_8).replace("+", "%20") + "/" + encodePath(filename);
        return URI.create(settings.endpoint() + path);
    }

    private static String encodePath(String filename) {
        List<String> parts = new ArrayList<>();
        for (String p : filename.split("/")) {
            parts.add(URLEncoder.encode(p, StandardCharsets.UTF_8).replace("+", "%20"));
        }
        return String.join("/", parts);
    }

    // ---- one blob -------------------------------------------------------------------------------

    private void fetchBlob(
            String repoId, String revision, String filename, String etag, OptionalLong size, URI location) {
        Path blob = cache.blobPath(repoId, etag);
        Path lockFile = cache.lockPath(repoId, etag);
        Object monitor = blobMonitors.computeIfAbsent(lockFile, k -> new Object());
        synchronized (monitor) {
            try {
                Files.createDirectories(blob.getParent());
                Files.createDirectories(lockFile.getParent());
                try (FileChannel lc = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                    FileLock lock = lc.lock();
                    try {
                        // Another process may have finished this blob while we waited for the lock.
                        if (!Files.isRegularFile(blob)) {
                            downloadBlob(repoId, revision, filename, etag, size, location, blob);
                        }
                    } finally {
                        lock.release();
                    }
                }
            } catch (IOException ex) {
                throw new HubException(
                        Reason.CACHE_IO,
                        repoId,
                        filename,
                        "cannot write into the cache " + cache.repoDir(repoId) + " for '" + filename + "': " + ex,
                        ex);
            }
        }
    }

    private void downloadBlob(
            String repoId, String revision, String filename, String etag, OptionalLong size, URI location, Path blob)
            throws IOException {
        Path partial = cache.incompletePath(repoId, etag);
        long start = Files.exists(partial) ? Files.size(partial) : 0;
        IOException last = null;
        try (DownloadProgress progress =
                settings.progress() ? this.progress.open(filename, size.orElse(-1), start) : DownloadProgress.NONE) {
            for (int attempt = 1; attempt <= settings.downloadAttempts(); attempt++) {
                boolean complete = size.isPresent() && Files.exists(partial) && Files.size(partial) == size.getAsLong();
                try {
                    if (!complete) {
                        http.download(location, partial, progress::bytesSoFar);
                    }
                    if (checkComplete(repoId, filename, etag, size, partial)) {
                        Files.move(partial, blob, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                        return;
                    }
                    last = new IOException("connection closed before the end of the file");
                } catch (HubHttp.StatusException ex) {
                    throw statusError(repoId, revision, filename, ex.status, ex.errorCode, ex.uri);
                } catch (IOException ex) {
                    last = ex;
                }
            }
        }
        long kept = Files.exists(partial) ? Files.size(partial) : 0;
        throw new HubException(
                Reason.TRANSFER_FAILED,
                repoId,
                filename,
                "download of '" + filename
                        + "' from Hugging Face repo " + repoId + " failed after " + settings.downloadAttempts()
                        + " attempt(s): " + last + "; " + kept + (size.isPresent() ? " of " + size.getAsLong() : "")
                        + " bytes kept in " + partial + ", run again to resume",
                last);
    }

    /**
     * True when the partial file is the whole blob; false when it is short (resume); throws, dropping
     * the partial file, when it is too long or its SHA-256 differs from an LFS ETag.
     */
    private boolean checkComplete(String repoId, String filename, String etag, OptionalLong size, Path partial)
            throws IOException {
        long have = Files.size(partial);
        if (size.isPresent() && have < size.getAsLong()) {
            return false;
        }
        String problem = null;
        if (size.isPresent() && have > size.getAsLong()) {
            problem = "received " + have + " bytes, the hub announced " + size.getAsLong();
        } else if (SHA256.matcher(etag).matches()) {
            String actual = Sha256.of(partial);
            if (!actual.equals(etag)) {
                problem = "SHA-256 " + actual + " differs from the ETag " + etag;
            }
        }
        if (problem != null) {
            Files.deleteIfExists(partial);
            throw new HubException(
                    Reason.TRANSFER_FAILED,
                    repoId,
                    filename,
                    "download of '" + filename
                            + "' from Hugging Face repo " + repoId + " is corrupt (" + problem
                            + "); the partial file was "
                            + "deleted, run again to download it afresh");
        }
        return true;
    }
}
