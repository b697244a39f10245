package dev.runa.features;

import dev.runa.io.AtomicFile;
import dev.runa.io.Sha256;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * An on-disk cache of pooled (pre-projection) features, so that the frozen backbone runs once per
 * region and view however often fine-tuning or scoring is repeated.
 *
 * <p>Layout: one small file per entry,
 * {@code ROOT/v1/NS/HH/HASH.feat}, where {@code NS} is a hash of the key's namespace (model, view,
 * options; the folder also holds a readable {@code namespace.txt}), {@code HASH} the SHA-256 of the
 * whole key and {@code HH} its first two hex digits (256 sub-folders, so a folder holds about 400 files
 * even at 100,000 entries). One file per entry was chosen over a namespace file with an index because
 * every write is then a single atomic create-and-rename: a killed run leaves at most a stray
 * temporary file, never a damaged index, and concurrent writers (threads or processes) need no lock.
 *
 * <p>Entry format, little-endian: magic {@code RUNAFEAT}, int version, int key length, the key's
 * canonical UTF-8 text, int dimension, the floats, and the CRC-32 of all preceding bytes. A read
 * verifies all of it; an entry that fails (truncated, bit-flipped, or another key's) is reported
 * and treated as a miss, and the next {@link #put} replaces it. Entries are not fsynced: after a
 * power loss a lost or torn entry is caught by the checks and recomputed, which is cheaper than a
 * sync per entry.
 *
 * <p>Thread-safe.
 */
public final class FeatureCache {
    static final byte[] MAGIC = "RUNAFEAT".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    private static final int MAX_DIM = 1 << 20;

    private final Path root;
    private final Consumer<String> warnings;
    private final AtomicLong hits = new AtomicLong();
    private final AtomicLong misses = new AtomicLong();
    private final AtomicLong corrupt = new AtomicLong();
    private final AtomicLong writes = new AtomicLong();

    /**
     * Counters since this instance was opened.
     *
     * @param hits    lookups answered from disk
     * @param misses  lookups not answered (corrupt entries included)
     * @param corrupt entries found damaged and ignored
     * @param writes  entries written
     */
    public record Stats(long hits, long misses, long corrupt, long writes) {}

    private FeatureCache(Path root, Consumer<String> warnings) {
        this.root = root;
        this.warnings = warnings;
    }

    /** Opens (creating if needed) a cache under {@code root}, reporting damaged entries to the platform logger. */
    public static FeatureCache open(Path root) throws IOException {
        System.Logger log = System.getLogger(FeatureCache.class.getName());
        return open(root, msg -> log.log(System.Logger.Level.WARNING, msg));
    }

    /** Opens (creating if needed) a cache under {@code root}, reporting damaged entries to {@code warnings}. */
    public static FeatureCache open(Path root, Consumer<String> warnings) throws IOException {
        Objects.requireNonNull(warnings, "warnings");
        Path dir = root.toAbsolutePath().resolve("v" + VERSION);
        Files.createDirectories(dir);
        return new FeatureCache(dir, warnings);
    }

    /** The folder the entries of this format version live in. */
    public Path directory() {
        return root;
    }

    /** Counters since this instance was opened. */
    public Stats stats() {
        return new Stats(hits.get(), misses.get(), corrupt.get(), writes.get());
    }

    /**
     * The cached feature for {@code key}, or empty when there is none or the entry is damaged (then
     * reported as a warning and counted in {@link Stats#corrupt()}).
     *
     * @throws IOException when the entry exists but cannot be read at all (e.g. no permission)
     */
    public Optional<float[]> get(FeatureKey key) throws IOException {
        Path file = entryFile(key);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            misses.incrementAndGet();
            return Optional.empty();
        }
        String problem = null;
        float[] value = null;
        try {
            value = decode(bytes, key.canonical());
        } catch (DamagedEntry e) {
            problem = e.getMessage();
        }
        if (value == null) {
            corrupt.incrementAndGet();
            misses.incrementAndGet();
            warnings.accept("feature cache entry " + file + " is damaged (" + problem
                    + "); ignoring it, it will be recomputed");
            return Optional.empty();
        }
        hits.incrementAndGet();
        return Optional.of(value);
    }

    /**
     * Stores {@code feature} under {@code key}, atomically replacing any previous entry.
     *
     * @throws IllegalArgumentException when the feature is empty or holds NaN or infinite values
     */
    public void put(FeatureKey key, float[] feature) throws IOException {
        if (feature.length == 0 || feature.length > MAX_DIM) {
            throw new IllegalArgumentException("feature to cache has " + feature.length + " values");
        }
        for (int i = 0; i < feature.length; i++) {
            if (!Float.isFinite(feature[i])) {
                throw new IllegalArgumentException("feature to cache has value " + feature[i] + " at " + i
                        + "; refusing to cache a broken feature");
            }
        }
        ensureNamespaceNote(key);
        AtomicFile.write(entryFile(key), encode(key.canonical(), feature));
        writes.incrementAndGet();
    }

    /** Where the entry of {@code key} lives (whether or not it exists). */
    Path entryFile(FeatureKey key) {
        String h = Sha256.of(key.canonical());
        return namespaceDir(key).resolve(h.substring(0, 2)).resolve(h + ".feat");
    }

    private Path namespaceDir(FeatureKey key) {
        return root.resolve(Sha256.of(key.namespace()).substring(0, 32));
    }

    /** Writes a human-readable description of the namespace once, so that a user can tell cache folders apart. */
    private void ensureNamespaceNote(FeatureKey key) throws IOException {
        Path note = namespaceDir(key).resolve("namespace.txt");
        if (!Files.exists(note)) {
            String text = "model: " + key.model() + "\nview: "
                    + key.view().name().toLowerCase(java.util.Locale.ROOT) + "\noptions: " + key.viewOptions() + "\n";
            AtomicFile.write(note, text.getBytes(StandardCharsets.UTF_8));
        }
    }

    static byte[] encode(String canonicalKey, float[] feature) {
        byte[] k = canonicalKey.getBytes(StandardCharsets.UTF_8);
        int size = MAGIC.length + 4 + 4 + k.length + 4 + 4 * feature.length + 4;
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putInt(k.length).put(k).putInt(feature.length);
        for (float f : feature) {
            b.putFloat(f);
        }
        CRC32 crc = new CRC32();
        crc.update(b.array(), 0, b.position());
        b.putInt((int) crc.getValue());
        return b.array();
    }

    /** Thrown inside decoding only, to carry what is wrong with an entry. */
    private static final class DamagedEntry extends Exception {
        private static final long serialVersionUID = 1L;

        DamagedEntry(String message) {
            super(message, null, false, false);
        }
    }

    private static float[] decode(byte[] bytes, String canonicalKey) throws DamagedEntry {
        int fixed = MAGIC.length + 4 + 4 + 4 + 4;
        if (bytes.length < fixed) {
            throw new DamagedEntry(bytes.length + " bytes, shorter than any entry");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        b.get(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new DamagedEntry("bad magic");
        }
        int version = b.getInt();
        if (version != VERSION) {
            throw new DamagedEntry("version " + version + ", expected " + VERSION);
        }
        int keyLen = b.getInt();
        if (keyLen < 0 || keyLen > bytes.length - fixed) {
            throw new DamagedEntry("key length " + keyLen + " does not fit in " + bytes.length + " bytes");
        }
        byte[] k = new byte[keyLen];
        b.get(k);
        int dim = b.getInt();
        if (dim <= 0 || dim > MAX_DIM || (long) b.position() + 4L * dim + 4 != bytes.length) {
            throw new DamagedEntry(
                    "dimension " + dim + " does not match the entry size " + bytes.length + " (truncated?)");
        }
        float[] out = new float[dim];
        b.asFloatBuffer().get(out);
        b.position(b.position() + 4 * dim);
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, b.position());
        if ((int) crc.getValue() != b.getInt()) {
            throw new DamagedEntry("checksum mismatch");
        }
        if (!new String(k, StandardCharsets.UTF_8).equals(canonicalKey)) {
            throw new DamagedEntry("it holds another key");
        }
        return out;
    }
}
