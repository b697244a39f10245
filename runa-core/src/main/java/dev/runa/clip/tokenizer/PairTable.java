package dev.runa.clip.tokenizer;

import java.util.Arrays;

/**
 * Open-addressing map from a merge pair (two token ids packed in a long) to its packed rule, with a
 * strong hash mix. {@code Long.hashCode} of packed pairs is {@code left ^ right}, which clusters
 * badly (it made building the 48894-rule table take tens of seconds in an immutable JDK map).
 * Filled once while the vocabulary is built, read-only afterwards.
 */
final class PairTable {
    private static final long EMPTY = Long.MIN_VALUE;
    private final long[] keys;
    private final long[] values;
    private final int mask;
    private int size;

    PairTable(int expected) {
        int capacity = Integer.highestOneBit(Math.max(4, expected * 2 - 1)) << 1;
        keys = new long[capacity];
        values = new long[capacity];
        Arrays.fill(keys, EMPTY);
        mask = capacity - 1;
    }

    private static int slot(long key, int mask) {
        long h = key * 0x9E3779B97F4A7C15L;
        h ^= h >>> 29;
        return (int) h & mask;
    }

    /** Inserts; returns false (and changes nothing) when the key is already present. */
    boolean putIfAbsent(long key, long value) {
        if (size * 2 >= keys.length) {
            throw new IllegalStateException("pair table sized for fewer entries");
        }
        int i = slot(key, mask);
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return false;
            }
            i = (i + 1) & mask;
        }
        keys[i] = key;
        values[i] = value;
        size++;
        return true;
    }

    /** The value for {@code key}, or -1. */
    long get(long key) {
        int i = slot(key, mask);
        while (keys[i] != EMPTY) {
            if (keys[i] == key) {
                return values[i];
            }
            i = (i + 1) & mask;
        }
        return -1L;
    }

    int size() {
        return size;
    }
}
