package dev.runa.clip.checkpoint;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * The central directory of a zip archive (zip64 included), read directly because
 * {@link java.util.zip.ZipFile} does not reveal where an entry's bytes start, which is what
 * memory-mapping the uncompressed tensor entries of a {@code torch.save} archive needs.
 */
final class ZipDirectory {

    static final int STORED = 0;
    static final int DEFLATED = 8;

    private static final int EOCD_SIG = 0x06054b50;
    private static final int EOCD64_LOCATOR_SIG = 0x07064b50;
    private static final int EOCD64_SIG = 0x06064b50;
    private static final int CENTRAL_SIG = 0x02014b50;
    private static final int LOCAL_SIG = 0x04034b50;
    private static final long U32 = 0xFFFFFFFFL;

    /**
     * One archive member.
     *
     * @param name             entry name
     * @param method           {@link #STORED} or {@link #DEFLATED} (others are refused when read)
     * @param compressedSize   bytes in the archive
     * @param size             bytes once decompressed
     * @param localHeaderOffset where the entry's local header starts
     */
    record Entry(String name, int method, long compressedSize, long size, long localHeaderOffset) {}

    private final Path path;
    private final FileChannel channel;
    private final long fileSize;
    private final Map<String, Entry> entries;

    private ZipDirectory(Path path, FileChannel channel, long fileSize, Map<String, Entry> entries) {
        this.path = path;
        this.channel = channel;
        this.fileSize = fileSize;
        this.entries = entries;
    }

    /** Reads the central directory; the channel stays owned by the caller. */
    static ZipDirectory read(Path path, FileChannel ch) throws IOException {
        long size = ch.size();
        if (size < 22) {
            throw fail(path, "file is " + size + " bytes, too short to be a zip archive (truncated?)");
        }
        // The end-of-central-directory record is 22 bytes plus a comment of at most 65535 bytes.
        int tailLen = (int) Math.min(size, 22 + 65535);
        ByteBuffer tail = readAt(path, ch, size - tailLen, tailLen);
        int eocd = -1;
        for (int i = tailLen - 22; i >= 0; i--) {
            if (tail.getInt(i) == EOCD_SIG) {
                eocd = i;
                break;
            }
        }
        if (eocd < 0) {
            throw fail(path, "no zip end-of-central-directory record (truncated or not a torch.save zip archive)");
        }
        long count = tail.getShort(eocd + 10) & 0xFFFF;
        long cdSize = tail.getInt(eocd + 12) & U32;
        long cdOffset = tail.getInt(eocd + 16) & U32;
        long eocdPos = size - tailLen + eocd;
        if (count == 0xFFFF || cdSize == U32 || cdOffset == U32) {
            if (eocdPos < 20) {
                throw fail(path, "zip64 archive without a zip64 locator (truncated?)");
            }
            ByteBuffer loc = readAt(path, ch, eocdPos - 20, 20);
            if (loc.getInt(0) != EOCD64_LOCATOR_SIG) {
                throw fail(path, "zip64 end-of-central-directory locator missing (truncated?)");
            }
            long eocd64 = loc.getLong(8);
            if (eocd64 < 0 || eocd64 + 56 > size) {
                throw fail(path, "zip64 end-of-central-directory record lies outside the file (truncated?)");
            }
            ByteBuffer e64 = readAt(path, ch, eocd64, 56);
            if (e64.getInt(0) != EOCD64_SIG) {
                throw fail(path, "bad zip64 end-of-central-directory record");
            }
            count = e64.getLong(32);
            cdSize = e64.getLong(40);
            cdOffset = e64.getLong(48);
        }
        if (cdOffset < 0 || cdSize < 0 || cdOffset + cdSize > size || cdSize > Integer.MAX_VALUE) {
            throw fail(
                    path,
                    "zip central directory [" + cdOffset + ", +" + cdSize + ") lies outside the file of " + size
                            + " bytes (truncated?)");
        }
        ByteBuffer cd = readAt(path, ch, cdOffset, (int) cdSize);
        Map<String, Entry> entries = new LinkedHashMap<>();
        int p = 0;
        for (long n = 0; n < count; n++) {
            if (p + 46 > cd.limit() || cd.getInt(p) != CENTRAL_SIG) {
                throw fail(path, "corrupt zip central directory at entry " + n);
            }
            int method = cd.getShort(p + 10) & 0xFFFF;
            long csize = cd.getInt(p + 20) & U32;
            long usize = cd.getInt(p + 24) & U32;
            int nameLen = cd.getShort(p + 28) & 0xFFFF;
            int extraLen = cd.getShort(p + 30) & 0xFFFF;
            int commentLen = cd.getShort(p + 32) & 0xFFFF;
            long local = cd.getInt(p + 42) & U32;
            if (p + 46 + nameLen + extraLen + commentLen > cd.limit()) {
                throw fail(path, "corrupt zip central directory at entry " + n);
            }
            byte[] nameBytes = new byte[nameLen];
            cd.get(p + 46, nameBytes);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            // zip64 extended information: the fields that overflowed, in this fixed order.
            int e = p + 46 + nameLen;
            int end = e + extraLen;
            while (e + 4 <= end) {
                int id = cd.getShort(e) & 0xFFFF;
                int len = cd.getShort(e + 2) & 0xFFFF;
                if (id == 0x0001) {
                    int q = e + 4;
                    if (usize == U32 && q + 8 <= e + 4 + len) {
                        usize = cd.getLong(q);
                        q += 8;
                    }
                    if (csize == U32 && q + 8 <= e + 4 + len) {
                        csize = cd.getLong(q);
                        q += 8;
                    }
                    if (local == U32 && q + 8 <= e + 4 + len) {
                        local = cd.getLong(q);
                    }
                }
                e += 4 + len;
            }
            if (local < 0 || csize < 0 || usize < 0 || local + 30 + csize > size) {
                throw fail(path, "zip entry '" + name + "' lies outside the file (truncated?)");
            }
            entries.put(name, new Entry(name, method, csize, usize, local));
            p += 46 + nameLen + extraLen + commentLen;
        }
        return new ZipDirectory(path, ch, size, Collections.unmodifiableMap(entries));
    }

    Map<String, Entry> entries() {
        return entries;
    }

    /** Where the entry's (possibly compressed) bytes start, from its local header. */
    long dataOffset(Entry entry) throws IOException {
        ByteBuffer lh = readAt(path, channel, entry.localHeaderOffset(), 30);
        if (lh.getInt(0) != LOCAL_SIG) {
            throw fail(
                    path, "zip entry '" + entry.name() + "' has no local header at byte " + entry.localHeaderOffset());
        }
        long start = entry.localHeaderOffset() + 30 + (lh.getShort(26) & 0xFFFF) + (lh.getShort(28) & 0xFFFF);
        if (start + entry.compressedSize() > fileSize) {
            throw fail(path, "zip entry '" + entry.name() + "' extends past the end of the file (truncated?)");
        }
        return start;
    }

    /**
     * The entry's bytes: a read-only mapping of the archive when stored uncompressed, otherwise
     * inflated into a direct buffer. Little-endian, position 0.
     */
    ByteBuffer bytes(Entry entry) throws IOException {
        if (entry.size() > Integer.MAX_VALUE) {
            throw fail(
                    path,
                    "zip entry '" + entry.name() + "' has " + entry.size()
                            + " bytes, more than one buffer can address");
        }
        long start = dataOffset(entry);
        if (entry.method() == STORED) {
            if (entry.compressedSize() != entry.size()) {
                throw fail(path, "stored zip entry '" + entry.name() + "' has different compressed and plain sizes");
            }
            return channel.map(FileChannel.MapMode.READ_ONLY, start, entry.size())
                    .order(ByteOrder.LITTLE_ENDIAN);
        }
        if (entry.method() != DEFLATED) {
            throw fail(path, "zip entry '" + entry.name() + "' uses unsupported compression method " + entry.method());
        }
        if (entry.compressedSize() > Integer.MAX_VALUE) {
            throw fail(path, "zip entry '" + entry.name() + "' is too large to inflate");
        }
        ByteBuffer in = channel.map(FileChannel.MapMode.READ_ONLY, start, entry.compressedSize());
        ByteBuffer out = ByteBuffer.allocateDirect((int) entry.size());
        Inflater inf = new Inflater(true);
        try {
            inf.setInput(in);
            while (out.hasRemaining() && !inf.finished()) {
                int n = inf.inflate(out);
                if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                    break;
                }
            }
            if (out.hasRemaining()) {
                throw fail(
                        path,
                        "zip entry '" + entry.name() + "' inflates to fewer than its declared " + entry.size()
                                + " bytes");
            }
        } catch (DataFormatException e) {
            throw new CheckpointException(path + ": zip entry '" + entry.name() + "' is corrupt: " + e.getMessage(), e);
        } finally {
            inf.end();
        }
        return out.flip().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The entry's bytes on the heap (for small members such as {@code data.pkl}). */
    byte[] heapBytes(Entry entry) throws IOException {
        ByteBuffer b = bytes(entry);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private static ByteBuffer readAt(Path path, FileChannel ch, long pos, int len) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
        long p = pos;
        while (b.hasRemaining()) {
            int n = ch.read(b, p);
            if (n < 0) {
                throw fail(path, "unexpected end of file at byte " + p + " (truncated?)");
            }
            p += n;
        }
        return b.flip();
    }

    private static CheckpointException fail(Path path, String problem) {
        return new CheckpointException(path + ": " + problem);
    }
}
