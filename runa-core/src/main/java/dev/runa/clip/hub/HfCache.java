package dev.runa.clip.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The Hugging Face hub cache on disk, in the layout Python's {@code huggingface_hub} writes, so that
 * files either side downloaded are found by the other:
 * <pre>
 * ROOT/models--ORG--NAME/refs/REVISION            commit hash of a branch or tag
 * ROOT/models--ORG--NAME/blobs/ETAG               file content (ETAG.incomplete while downloading)
 * ROOT/models--ORG--NAME/snapshots/COMMIT/FILE    relative symlink to ../../blobs/ETAG (or a plain file)
 * ROOT/models--ORG--NAME/.no_exist/COMMIT/FILE    empty marker: FILE is absent from the repo at COMMIT
 * </pre>
 * This class only reads and writes that layout; it never touches the network.
 */
public final class HfCache {
    private static final Pattern REPO_PART = Pattern.compile("[A-Za-z0-9_.\\-]+");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern ETAG = Pattern.compile("[A-Za-z0-9_.\\-]+");

    private final Path root;

    public HfCache(Path root) {
        this.root = Objects.requireNonNull(root, "root").toAbsolutePath().normalize();
    }

    /** The cache root (e.g. {@code ~/.cache/huggingface/hub}). */
    public Path root() {
        return root;
    }

    /** {@code ROOT/models--ORG--NAME}; rejects ids that are not {@code NAME} or {@code ORG/NAME}. */
    public Path repoDir(String repoId) {
        return root.resolve("models--" + String.join("--", checkRepoId(repoId).split("/")));
    }

    /** Whether the text is a full 40-hex-digit commit hash. */
    public static boolean isCommitHash(String revision) {
        return COMMIT.matcher(revision).matches();
    }

    /** The commit a revision points to: the revision itself if it is a hash, else {@code refs/REVISION}. */
    public Optional<String> commitFor(String repoId, String revision) {
        if (isCommitHash(checkRevision(revision))) {
            return Optional.of(revision);
        }
        Path ref = repoDir(repoId).resolve("refs").resolve(revision);
        if (!Files.isRegularFile(ref)) {
            return Optional.empty();
        }
        String commit = read(ref).trim();
        if (!isCommitHash(commit)) {
            throw new HubException(
                    HubException.Reason.CACHE_IO,
                    repoId,
                    null,
                    "cache ref " + ref + " does not hold a commit hash (found '" + abbreviate(commit) + "')");
        }
        return Optional.of(commit);
    }

    /** The cached file for a revision, if its snapshot entry exists (a symlink to a present blob, or a file). */
    public Optional<Path> cachedFile(String repoId, String revision, String filename) {
        checkFilename(filename);
        return commitFor(repoId, revision)
                .map(c -> snapshotPath(repoId, c, filename))
                .filter(Files::isRegularFile);
    }

    /** Whether the cache records that {@code filename} does not exist in the repo at this revision. */
    public boolean knownMissing(String repoId, String revision, String filename) {
        checkFilename(filename);
        return commitFor(repoId, revision)
                .map(c -> Files.exists(
                        repoDir(repoId).resolve(".no_exist").resolve(c).resolve(filename)))
                .orElse(false);
    }

    /** {@code snapshots/COMMIT/FILENAME}, whether or not it exists. */
    public Path snapshotPath(String repoId, String commit, String filename) {
        return snapshotDir(repoId, commit).resolve(checkFilename(filename));
    }

    /** {@code snapshots/COMMIT}, whether or not it exists. */
    public Path snapshotDir(String repoId, String commit) {
        return repoDir(repoId).resolve("snapshots").resolve(checkCommit(commit));
    }

    public Path blobPath(String repoId, String etag) {
        return repoDir(repoId).resolve("blobs").resolve(checkEtag(etag));
    }

    /** Where a partial download of a blob accumulates; resumed from its length. */
    public Path incompletePath(String repoId, String etag) {
        return repoDir(repoId).resolve("blobs").resolve(checkEtag(etag) + ".incomplete");
    }

    /** A lock file per blob, in the same place as Python's ({@code ROOT/.locks/models--ORG--NAME/ETAG.lock}). */
    public Path lockPath(String repoId, String etag) {
        return root.resolve(".locks").resolve(repoDir(repoId).getFileName()).resolve(checkEtag(etag) + ".lock");
    }

    /** Records that a branch or tag points to a commit (nothing to record when the revision is the commit). */
    public void writeRef(String repoId, String revision, String commit) {
        checkCommit(commit);
        if (revision.equals(commit)) {
            return;
        }
        Path ref = repoDir(repoId).resolve("refs").resolve(checkRevision(revision));
        try {
            if (Files.isRegularFile(ref) && read(ref).trim().equals(commit)) {
                return;
            }
            Files.createDirectories(ref.getParent());
            Path tmp = dev.runa.io.AtomicFile.createTempSibling(ref);
            Files.writeString(tmp, commit, StandardCharsets.UTF_8);
            Files.move(tmp, ref, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException ex) {
            throw io(repoId, null, "cannot write cache ref " + ref, ex);
        }
    }

    /** Leaves Python's marker that {@code filename} is absent from the repo at {@code commit}. */
    public void markMissing(String repoId, String commit, String filename) {
        Path marker = repoDir(repoId)
                .resolve(".no_exist")
                .resolve(checkCommit(commit))
                .resolve(checkFilename(filename));
        try {
            Files.createDirectories(marker.getParent());
            if (!Files.exists(marker)) {
                Files.createFile(marker);
            }
        } catch (IOException ex) {
            throw io(repoId, filename, "cannot write cache marker " + marker, ex);
        }
    }

    /**
     * Makes {@code snapshots/COMMIT/FILENAME} point to the blob with a relative symlink, as
     * huggingface_hub does. Where the file system refuses symlinks, the blob is copied instead.
     *
     * @return the snapshot path
     */
    public Path linkSnapshot(String repoId, String commit, String filename, String etag) {
        Path blob = blobPath(repoId, etag);
        Path link = snapshotPath(repoId, commit, filename);
        try {
            Files.createDirectories(link.getParent());
            Files.deleteIfExists(link);
            try {
                Files.createSymbolicLink(link, link.getParent().relativize(blob));
            } catch (UnsupportedOperationException | FileSystemException noLinks) {
                Path tmp = dev.runa.io.AtomicFile.createTempSibling(link);
                Files.copy(blob, tmp, StandardCopyOption.REPLACE_EXISTING);
                Files.move(tmp, link, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            return link;
        } catch (IOException ex) {
            throw io(repoId, filename, "cannot create cache snapshot entry " + link, ex);
        }
    }

    static String checkRepoId(String repoId) {
        String[] parts = repoId == null ? new String[0] : repoId.split("/", -1);
        boolean ok = parts.length >= 1 && parts.length <= 2 && repoId.length() <= 96;
        for (String p : parts) {
            ok &= REPO_PART.matcher(p).matches()
                    && !p.contains("--")
                    && !p.contains("..")
                    && !p.startsWith(".")
                    && !p.startsWith("-");
        }
        if (!ok) {
            throw new IllegalArgumentException("not a Hugging Face repo id (expected ORG/NAME): '" + repoId + "'");
        }
        return repoId;
    }

    static String checkRevision(String revision) {
        checkRelative("revision", revision);
        return revision;
    }

    static String checkFilename(String filename) {
        checkRelative("file name", filename);
        return filename;
    }

    private static void checkRelative(String what, String s) {
        boolean ok = s != null && !s.isEmpty() && !s.startsWith("/") && !s.contains("\\") && !s.contains("\0");
        if (ok) {
            for (String part : s.split("/", -1)) {
                ok &= !part.isEmpty() && !part.equals(".") && !part.equals("..");
            }
        }
        if (!ok) {
            throw new IllegalArgumentException("invalid hub " + what + " '" + s
                    + "': must be a relative path without '.', '..' or empty segments");
        }
    }

    private static String checkCommit(String commit) {
        if (commit == null || !isCommitHash(commit)) {
            throw new IllegalArgumentException("not a 40-hex-digit commit hash: '" + abbreviate(commit) + "'");
        }
        return commit;
    }

    private static String checkEtag(String etag) {
        if (etag == null || !ETAG.matcher(etag).matches() || etag.startsWith(".")) {
            throw new IllegalArgumentException("unusable ETag '" + abbreviate(etag) + "'");
        }
        return etag;
    }

    private static String abbreviate(String s) {
        return s == null ? "null" : s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    private static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException ex) {
            throw io(null, null, "cannot read cache file " + p, ex);
        }
    }

    private static HubException io(String repoId, String filename, String msg, IOException ex) {
        return new HubException(HubException.Reason.CACHE_IO, repoId, filename, msg + ": " + ex, ex);
    }
}
