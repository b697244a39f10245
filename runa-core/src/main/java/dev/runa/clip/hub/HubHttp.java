package dev.runa.clip.hub;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The HTTP side of the hub: a metadata HEAD and a resumable GET, with redirects followed by hand so
 * that the token goes only to the hub's own host. Java's HttpClient, left to follow redirects itself,
 * would resend the Authorization header to the CDN; huggingface_hub drops it whenever the redirect
 * leaves the endpoint's host, and so do we.
 */
final class HubHttp {
    private static final int MAX_REDIRECTS = 5;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes\\s+(\\d+)-(\\d+)/(\\d+|\\*)");

    /** What a HEAD on {@code /resolve/} said about a file. */
    record Head(
            int status,
            Optional<String> commit,
            Optional<String> etag,
            OptionalLong size,
            URI location,
            Optional<String> errorCode) {}

    /** A non-success HTTP status on a GET (the HEAD reports statuses in {@link Head}). */
    static final class StatusException extends Exception {
        final int status;
        final Optional<String> errorCode;
        final URI uri;

        StatusException(int status, Optional<String> errorCode, URI uri) {
            super("HTTP " + status + " from " + uri);
            this.status = status;
            this.errorCode = errorCode;
            this.uri = uri;
        }
    }

    private final HttpClient client;
    private final HubSettings settings;

    HubHttp(HubSettings settings) {
        this.settings = settings;
        this.client = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(settings.timeout())
                .build();
    }

    /**
     * HEAD the file's resolve URL. Relative redirects (a renamed repo) are followed; an absolute one
     * (the CDN for large files) is not: its target becomes {@link Head#location()} and the metadata
     * comes from the redirect response itself, as the hub puts it there.
     */
    Head head(URI url) throws IOException {
        URI current = url;
        for (int hop = 0; ; hop++) {
            HttpRequest req = request(current)
                    .method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .timeout(settings.timeout())
                    .build();
            HttpResponse<Void> resp = send(req);
            HttpHeaders h = resp.headers();
            int status = resp.statusCode();
            Optional<String> location = h.firstValue("Location");
            if (isRedirect(status) && location.isPresent()) {
                URI target = current.resolve(location.get());
                if (URI.create(location.get()).getHost() == null && hop < MAX_REDIRECTS) {
                    current = target;
                    continue;
                }
                return head(status, h, target);
            }
            return head(status, h, current);
        }
    }

    private static Head head(int status, HttpHeaders h, URI location) {
        Optional<String> etag =
                h.firstValue("X-Linked-Etag").or(() -> h.firstValue("ETag")).map(HubHttp::normalizeEtag);
        OptionalLong size = parseSize(h.firstValue("X-Linked-Size").or(() -> h.firstValue("Content-Length")));
        return new Head(
                status,
                h.firstValue("X-Repo-Commit").map(String::trim),
                etag,
                size,
                location,
                h.firstValue("X-Error-Code"));
    }

    /**
     * GET {@code url} into {@code partial}, continuing from its current length with a Range request.
     * Returns when the server has sent the whole body; throws IOException when the transfer breaks or
     * stalls for longer than the timeout (the bytes received so far stay in {@code partial}).
     */
    void download(URI url, Path partial, LongConsumer bytesSoFar) throws IOException, StatusException {
        URI current = url;
        for (int hop = 0; hop <= MAX_REDIRECTS; hop++) {
            long have = Files.exists(partial) ? Files.size(partial) : 0;
            HttpRequest.Builder rb = request(current).GET();
            if (have > 0) {
                rb.header("Range", "bytes=" + have + "-");
            }
            FileSink sink = new FileSink(partial, have, bytesSoFar);
            CompletableFuture<HttpResponse<Void>> future =
                    client.sendAsync(rb.build(), info -> sink.bodySubscriber(info.statusCode(), info.headers()));
            HttpResponse<Void> resp = awaitWhileFlowing(future, sink);
            if (sink.failure != null) {
                // A 206 that does not continue our file, or a local write error: drop the partial
                // file so that the next attempt starts clean instead of repeating the mismatch.
                Files.deleteIfExists(partial);
                throw sink.failure;
            }
            int status = resp.statusCode();
            Optional<String> location = resp.headers().firstValue("Location");
            if (isRedirect(status) && location.isPresent()) {
                current = current.resolve(location.get());
                continue;
            }
            if (status == 416 && have > 0) {
                // Our partial file is not a prefix the server recognises: start again from zero.
                Files.delete(partial);
                continue;
            }
            if (status != 200 && status != 206) {
                throw new StatusException(status, resp.headers().firstValue("X-Error-Code"), current);
            }
            return;
        }
        throw new IOException("more than " + MAX_REDIRECTS + " redirects from " + url);
    }

    /** Waits for the response, giving up only when no byte has arrived for a whole timeout period. */
    private HttpResponse<Void> awaitWhileFlowing(CompletableFuture<HttpResponse<Void>> future, FileSink sink)
            throws IOException {
        long seen = -1;
        long periodNanos = settings.timeout().toNanos();
        while (true) {
            try {
                CompletableFuture.anyOf(future, sink.writeFailed).get(periodNanos, TimeUnit.NANOSECONDS);
                return future.join();
            } catch (TimeoutException ex) {
                long now = sink.received();
                if (now == seen) {
                    sink.cancel();
                    future.cancel(true);
                    throw new IOException("transfer stalled: no data for "
                            + settings.timeout().toSeconds() + " s");
                }
                seen = now;
            } catch (ExecutionException ex) {
                sink.cancel();
                Throwable c = ex.getCause();
                throw c instanceof IOException io ? io : new IOException(String.valueOf(c), c);
            } catch (InterruptedException ex) {
                sink.cancel();
                future.cancel(true);
                Thread.currentThread().interrupt();
                throw new IOException("download interrupted", ex);
            }
        }
    }

    private HttpRequest.Builder request(URI uri) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .header("User-Agent", "runa-java (huggingface-hub-compatible)")
                .header("Accept-Encoding", "identity");
        if (settings.token().isPresent() && sameAuthority(uri, settings.endpoint())) {
            b.header("Authorization", "Bearer " + settings.token().get());
        }
        return b;
    }

    private HttpResponse<Void> send(HttpRequest req) throws IOException {
        try {
            return client.send(req, HttpResponse.BodyHandlers.discarding());
        } catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IOException("request interrupted: " + req.uri(), ex);
        }
    }

    static boolean sameAuthority(URI a, URI b) {
        return Objects.equals(a.getScheme(), b.getScheme())
                && Objects.equals(a.getHost(), b.getHost())
                && port(a) == port(b);
    }

    private static int port(URI u) {
        return u.getPort() != -1 ? u.getPort() : "https".equals(u.getScheme()) ? 443 : 80;
    }

    private static boolean isRedirect(int status) {
        return status >= 300 && status <= 399;
    }

    /** As huggingface_hub's {@code _normalize_etag}: drop the weak marker and the quotes. */
    static String normalizeEtag(String raw) {
        String s = raw.trim();
        if (s.startsWith("W/")) {
            s = s.substring(2);
        }
        return s.replace("\"", "");
    }

    private static OptionalLong parseSize(Optional<String> v) {
        try {
            return v.map(s -> OptionalLong.of(Long.parseLong(s.trim()))).orElse(OptionalLong.empty());
        } catch (NumberFormatException ex) {
            return OptionalLong.empty();
        }
    }

    /**
     * Writes a 200/206 body into the partial file: appended after a 206 whose Content-Range starts
     * where the file ends, from scratch after a 200 (the server ignored our Range). Other statuses
     * are discarded.
     */
    private static final class FileSink implements Flow.Subscriber<List<ByteBuffer>> {
        private final Path file;
        private final long have;
        private final LongConsumer progress;
        private final AtomicLong received = new AtomicLong();
        private volatile long base;
        private volatile FileChannel channel;
        private volatile Flow.Subscription subscription;
        private volatile IOException failure;
        /** Completed exceptionally when a write fails, so the waiter need not sit out a timeout. */
        final CompletableFuture<Void> writeFailed = new CompletableFuture<>();

        FileSink(Path file, long have, LongConsumer progress) {
            this.file = file;
            this.have = have;
            this.progress = progress;
        }

        HttpResponse.BodySubscriber<Void> bodySubscriber(int status, HttpHeaders headers) {
            try {
                if (status == 206) {
                    Matcher m = CONTENT_RANGE.matcher(
                            headers.firstValue("Content-Range").orElse(""));
                    if (!m.matches() || Long.parseLong(m.group(1)) != have) {
                        throw new IOException("server answered Range bytes=" + have + "- with Content-Range '"
                                + headers.firstValue("Content-Range").orElse("") + "'");
                    }
                    channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
                    base = have;
                } else if (status == 200) {
                    channel = FileChannel.open(
                            file,
                            StandardOpenOption.CREATE,
                            StandardOpenOption.WRITE,
                            StandardOpenOption.TRUNCATE_EXISTING);
                    base = 0;
                } else {
                    return HttpResponse.BodySubscribers.discarding();
                }
            } catch (IOException ex) {
                failure = ex;
                return HttpResponse.BodySubscribers.discarding();
            }
            return HttpResponse.BodySubscribers.fromSubscriber(this);
        }

        long received() {
            return received.get();
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            closeChannel();
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            s.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            try {
                for (ByteBuffer b : buffers) {
                    while (b.hasRemaining()) {
                        received.addAndGet(channel.write(b));
                    }
                }
                progress.accept(base + received.get());
                subscription.request(1);
            } catch (IOException ex) {
                failure = ex;
                cancel();
                writeFailed.completeExceptionally(ex);
            }
        }

        @Override
        public void onError(Throwable t) {
            closeChannel();
        }

        @Override
        public void onComplete() {
            closeChannel();
        }

        private void closeChannel() {
            FileChannel c = channel;
            if (c != null) {
                try {
                    c.close();
                } catch (IOException ignored) {
                    // Nothing was pending: every write above completed before we get here.
                }
            }
        }
    }
}
