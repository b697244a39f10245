package dev.runa.clip.hub;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A stand-in for huggingface.co on 127.0.0.1: one server plays the hub ({@code /ORG/NAME/resolve/REV/FILE}),
 * a second, on another port and so another authority, plays the CDN that LFS files redirect to. The
 * headers are the hub's: X-Repo-Commit, a quoted ETag (git SHA-1) for small files, and for LFS files
 * a 302 carrying X-Linked-Etag (the SHA-256) and X-Linked-Size. Every request is recorded.
 */
final class FakeHub implements AutoCloseable {
    static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    record Request(String server, String method, String path, String authorization, String range) {}

    private record RepoFile(String name, byte[] content, boolean lfs, String etag) {}

    private static final Pattern RESOLVE = Pattern.compile("/(.+)/resolve/([^/]+)/(.+)");

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final Map<String, RepoFile> files = new ConcurrentHashMap<>(); // key: repo + "|" + file
    private final Map<String, AtomicInteger> truncations = new ConcurrentHashMap<>();
    private final Map<String, Integer> forcedStatus = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> stalls = new ConcurrentHashMap<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final HttpServer hub;
    private final HttpServer cdn;

    FakeHub() throws IOException {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        hub = HttpServer.create(loopback, 0);
        cdn = HttpServer.create(loopback, 0);
        hub.createContext("/", ex -> handle("hub", ex, this::serveHub));
        cdn.createContext("/", ex -> handle("cdn", ex, this::serveCdn));
        // Several threads, so a stalled response does not block the client's retry.
        hub.setExecutor(threads);
        cdn.setExecutor(threads);
        hub.start();
        cdn.start();
    }

    URI endpoint() {
        return URI.create("http://127.0.0.1:" + hub.getAddress().getPort());
    }

    FakeHub add(String repo, String file, byte[] content, boolean lfs) {
        String etag = lfs
                ? sha256(content)
                : "a".repeat(40 - Integer.toString(files.size()).length()) + files.size();
        files.put(repo + "|" + file, new RepoFile(file, content, lfs, etag));
        return this;
    }

    /** The next {@code n} GETs of this file send half of what they promise, then drop the connection. */
    void truncateNextGets(String file, int n) {
        truncations.put(file, new AtomicInteger(n));
    }

    /** The next {@code n} GETs of this file send half, then go silent (until the hub is closed). */
    void stallNextGets(String file, int n) {
        stalls.put(file, new AtomicInteger(n));
    }

    /** Every request for this repo gets this status (e.g. 401). */
    void forceStatus(String repo, int status) {
        forcedStatus.put(repo, status);
    }

    String etagOf(String repo, String file) {
        return files.get(repo + "|" + file).etag();
    }

    List<Request> requests(String server) {
        return requests.stream().filter(r -> r.server().equals(server)).toList();
    }

    @Override
    public void close() {
        released.countDown();
        hub.stop(0);
        cdn.stop(0);
        threads.shutdownNow();
    }

    private interface Handler {
        void serve(HttpExchange ex) throws IOException;
    }

    private void handle(String server, HttpExchange ex, Handler h) throws IOException {
        requests.add(new Request(
                server,
                ex.getRequestMethod(),
                ex.getRequestURI().getRawPath(),
                ex.getRequestHeaders().getFirst("Authorization"),
                ex.getRequestHeaders().getFirst("Range")));
        try (ex) {
            h.serve(ex);
        }
    }

    private void serveHub(HttpExchange ex) throws IOException {
        Matcher m = RESOLVE.matcher(ex.getRequestURI().getPath());
        if (!m.matches()) {
            sendEmpty(ex, 400);
            return;
        }
        String repo = m.group(1);
        String file = m.group(3);
        Integer forced = forcedStatus.get(repo);
        if (forced != null) {
            sendEmpty(ex, forced);
            return;
        }
        boolean repoExists = files.keySet().stream().anyMatch(k -> k.startsWith(repo + "|"));
        if (!repoExists) {
            ex.getResponseHeaders().set("X-Error-Code", "RepoNotFound");
            sendEmpty(ex, 404);
            return;
        }
        ex.getResponseHeaders().set("X-Repo-Commit", COMMIT);
        RepoFile f = files.get(repo + "|" + file);
        if (f == null) {
            ex.getResponseHeaders().set("X-Error-Code", "EntryNotFound");
            sendEmpty(ex, 404);
            return;
        }
        if (f.lfs()) {
            ex.getResponseHeaders().set("X-Linked-Etag", "\"" + f.etag() + "\"");
            ex.getResponseHeaders().set("X-Linked-Size", Integer.toString(f.content().length));
            ex.getResponseHeaders()
                    .set(
                            "Location",
                            "http://127.0.0.1:" + cdn.getAddress().getPort() + "/blobs/" + f.etag()
                                    + "?signature=fake");
            sendEmpty(ex, 302);
            return;
        }
        ex.getResponseHeaders().set("ETag", "W/\"" + f.etag() + "\"");
        sendBody(ex, f.content(), file);
    }

    private void serveCdn(HttpExchange ex) throws IOException {
        String etag = ex.getRequestURI().getPath().substring("/blobs/".length());
        RepoFile f = files.values().stream()
                .filter(r -> r.etag().equals(etag))
                .findFirst()
                .orElse(null);
        if (f == null) {
            sendEmpty(ex, 404);
            return;
        }
        ex.getResponseHeaders().set("ETag", "\"" + f.etag() + "\"");
        sendBody(ex, f.content(), f.name());
    }

    /** Honours {@code Range: bytes=N-} with a 206, as the hub and its CDN do. */
    private void sendBody(HttpExchange ex, byte[] content, String file) throws IOException {
        if (ex.getRequestMethod().equals("HEAD")) {
            sendEmpty(ex, 200);
            return;
        }
        int from = 0;
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null) {
            from = Integer.parseInt(range.replaceAll("bytes=(\\d+)-", "$1"));
            ex.getResponseHeaders()
                    .set("Content-Range", "bytes " + from + "-" + (content.length - 1) + "/" + content.length);
        }
        int length = content.length - from;
        ex.sendResponseHeaders(range != null ? 206 : 200, length);
        AtomicInteger cut = truncations.get(file);
        OutputStream out = ex.getResponseBody();
        if (cut != null && cut.getAndDecrement() > 0) {
            out.write(content, from, length / 2);
            out.flush();
            // An exception out of the handler makes the JDK server drop the connection mid-body.
            throw new IOException("fake hub: connection dropped on purpose");
        }
        AtomicInteger stall = stalls.get(file);
        if (stall != null && stall.getAndDecrement() > 0) {
            out.write(content, from, length / 2);
            out.flush();
            try {
                released.await(20, TimeUnit.SECONDS); // bounded: never outlive the test by much
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
            throw new IOException("fake hub: stalled on purpose");
        }
        out.write(content, from, length);
    }

    private static void sendEmpty(HttpExchange ex, int status) throws IOException {
        ex.sendResponseHeaders(status, -1);
    }

    static String sha256(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
