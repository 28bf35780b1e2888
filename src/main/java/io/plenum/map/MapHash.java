package io.plenum.map;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The map's 64-bit key hash: a seeded multiply-rotate over the key's little-endian 8-byte words
 * (the last one zero-padded), finished with the MurmurHash3 64-bit mix. The seed is random per map
 * and stored in its descriptor, so every process hashes alike and keys chosen to collide in one
 * map do not collide in another. {@link #ofLong} equals {@link #of} of the 8-byte little-endian
 * encoding, so a {@code long} key is hashed without encoding it.
 */
final class MapHash {
    /** 8 little-endian bytes of a {@code byte[]} as one long (also the map's long keys and values). */
    static final VarHandle WORD = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long C1 = 0x87C37B91114253D5L;
    private static final long C2 = 0x4CF5AD432745937FL;

    private MapHash() {
    }

    static long of(long seed, byte[] key, int length) {
        long h = seed ^ (length * 0x9E3779B97F4A7C15L);
        int i = 0;
        for (; i + 8 <= length; i += 8) {
            h = step(h, (long) WORD.get(key, i));
        }
        if (i < length) {
            long tail = 0;
            for (int shift = 0; i < length; i++, shift += 8) {
                tail |= (key[i] & 0xFFL) << shift;
            }
            h = step(h, tail);
        }
        return finish(h ^ length);
    }

    static long ofLong(long seed, long key) {
        return finish(step(seed ^ (8 * 0x9E3779B97F4A7C15L), key) ^ 8);
    }

    private static long step(long h, long word) {
        h ^= Long.rotateLeft(word * C1, 31) * C2;
        return Long.rotateLeft(h, 27) * 5 + 0x52DCE729;
    }

    private static long finish(long h) {
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }

    /** The key's little-endian word at {@code index} (for comparing keys 8 bytes at a time). */
    static long word(byte[] key, int index) {
        return (long) WORD.get(key, index);
    }
}
