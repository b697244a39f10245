package dev.runa.clip.hub;

/**
 * A hub file that could not be obtained. The message names the repository, the file, and what to do
 * (set {@code HF_TOKEN}, go online, check the name); {@link #reason()} lets callers branch.
 */
public class HubException extends RuntimeException {

    /** Why the file could not be obtained. */
    public enum Reason {
        /** The repository exists but has no such file (HTTP 404, {@code EntryNotFound}). */
        FILE_NOT_FOUND,
        /** No such repository or revision (HTTP 404 {@code RepoNotFound}/{@code RevisionNotFound}). */
        REPO_NOT_FOUND,
        /** HTTP 401/403: private or gated repository, missing or wrong token. */
        ACCESS_DENIED,
        /** Offline (by setting or because the hub is unreachable) and the file is not cached. */
        NOT_CACHED,
        /** Any other HTTP status, a broken transfer, or a malformed response. */
        TRANSFER_FAILED,
        /** The local cache could not be read or written. */
        CACHE_IO
    }

    private final Reason reason;
    private final String repoId;
    private final String filename;

    public HubException(Reason reason, String repoId, String filename, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.repoId = repoId;
        this.filename = filename;
    }

    public HubException(Reason reason, String repoId, String filename, String message) {
        this(reason, repoId, filename, message, null);
    }

    public Reason reason() {
        return reason;
    }

    public String repoId() {
        return repoId;
    }

    /** The file asked for, or null when the error concerns the whole repository. */
    public String filename() {
        return filename;
    }
}
