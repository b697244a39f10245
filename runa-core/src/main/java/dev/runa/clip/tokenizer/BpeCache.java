package dev.runa.clip.tokenizer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bounded least-recently-used cache of BPE results per pre-token. The reference caches without
 * bound; a bound keeps a long-running service from growing without limit on arbitrary text.
 * Thread-safe; the lock is held only for the lookup or insertion, never for the merging.
 */
final class BpeCache {
    private final Map<String, int[]> map;

    BpeCache(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("BPE cache capacity must be >= 0, got " + capacity);
        }
        this.map = new LinkedHashMap<>(Math.min(capacity, 1024) * 2, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, int[]> eldest) {
                return size() > capacity;
            }
        };
    }

    /** The cached ids (callers must not modify them), or null. */
    synchronized int[] get(String word) {
        return map.get(word);
    }

    synchronized void put(String word, int[] ids) {
        map.put(word, ids);
    }

    synchronized int size() {
        return map.size();
    }
}
