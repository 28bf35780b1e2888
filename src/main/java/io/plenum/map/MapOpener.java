package io.plenum.map;

import static io.plenum.map.MapLayout.*;

import io.plenum.codec.Codec;
import io.plenum.segment.Backing;
import io.plenum.segment.OpenMode;
import io.plenum.segment.Segment;
import io.plenum.segment.SegmentExistsException;
import io.plenum.segment.SegmentFormatException;
import io.plenum.segment.SegmentNotFoundException;
import io.plenum.segment.SegmentSpec;
import io.plenum.sync.OwnerTable;
import io.plenum.sync.SharedMutex;
import java.lang.foreign.MemorySegment;
import java.security.SecureRandom;

/**
 * Opens a map's segment and checks its descriptor. Geometry left unset is taken from an existing
 * map, or defaulted for a new one: for a path in mode CREATE_OR_OPEN that means "open it if it
 * exists, else create it with the defaults", repeated until one of the two wins a race.
 */
final class MapOpener {
    private static final SecureRandom SEEDS = new SecureRandom();

    private MapOpener() {
    }

    record Opened(Segment segment, MapStore store, String name) {
    }

    static Opened open(Codec<?> keys, Codec<?> values, MapOptions options) {
        Backing backing = options.backing();
        // Anonymous memory cannot grow through an fd; a memfd nobody else knows is the same thing, and can.
        if (backing instanceof Backing.Anonymous) {
            backing = Backing.memfd("plenum-map");
        }
        MapLayout creating = new MapLayout(options.maxKeySize() < 0 ? DEFAULT_MAX_KEY_SIZE : options.maxKeySize(),
                keys.name(), values.name(), SEEDS.nextLong());
        int stripes = options.stripes() < 0 ? DEFAULT_STRIPES : options.stripes();
        int maxValue = options.maxValueSize() < 0 ? DEFAULT_MAX_VALUE_SIZE : options.maxValueSize();
        SegmentSpec fresh = new SegmentSpec(creating, VARIANT, stripes, maxValue, options.fileMode());
        SegmentSpec existing = new SegmentSpec(creating, VARIANT, options.stripes(), options.maxValueSize(),
                options.fileMode());
        boolean unset = options.stripes() < 0 || options.maxValueSize() < 0;
        Segment segment;
        if (backing instanceof Backing.File && options.mode() == OpenMode.CREATE_OR_OPEN && unset) {
            segment = openOrCreate(backing, existing, fresh);
        } else if (options.mode() == OpenMode.OPEN_EXISTING) {
            segment = Segment.open(backing, OpenMode.OPEN_EXISTING, existing);
        } else {
            segment = Segment.open(backing, options.mode(), fresh);
        }
        try {
            return attach(segment, keys, values, options);
        } catch (RuntimeException e) {
            segment.close();
            throw e;
        }
    }

    private static Segment openOrCreate(Backing backing, SegmentSpec existing, SegmentSpec fresh) {
        for (int attempt = 0; ; attempt++) {
            try {
                return Segment.open(backing, OpenMode.OPEN_EXISTING, existing);
            } catch (SegmentNotFoundException absent) {
                try {
                    return Segment.open(backing, OpenMode.CREATE_NEW, fresh);
                } catch (SegmentExistsException raced) {
                    if (attempt > 100) {
                        throw raced;
                    }
                }
            }
        }
    }

    private static Opened attach(Segment segment, Codec<?> keys, Codec<?> values, MapOptions options) {
        String name = "map " + segment.describe();
        MemorySegment mem = segment.memory();
        int stripes = (int) segment.header().capacity();
        int maxValueSize = segment.header().elementSize();
        int maxKeySize = mem.get(INT, MAX_KEY_SIZE_OFFSET);
        check(name, "stripes", mem.get(INT, STRIPES_OFFSET_FIELD), stripes);
        check(name, "ownerEntries", mem.get(INT, OWNER_ENTRIES_OFFSET), OWNER_ENTRIES);
        check(name, "stripesOffset", mem.get(LONG, STRIPES_OFFSET_OFFSET), STRIPES_OFFSET);
        check(name, "ownerTableOffset", mem.get(LONG, OWNER_TABLE_OFFSET_OFFSET), ownerTableOffset(stripes));
        long heapOffset = heapOffset(stripes);
        check(name, "heapOffset", mem.get(LONG, HEAP_OFFSET_OFFSET), heapOffset);
        if (maxKeySize < 1 || maxKeySize > MAX_SIZE_LIMIT) {
            throw new SegmentFormatException(name + ": field maxKeySize: " + maxKeySize);
        }
        if (options.maxKeySize() >= 0 && options.maxKeySize() != maxKeySize) {
            throw new SegmentFormatException(name + ": field maxKeySize: " + options.maxKeySize()
                    + " requested but the map holds " + maxKeySize);
        }
        checkCodec(name, "key", mem, KEY_CODEC_OFFSET, keys);
        checkCodec(name, "value", mem, VALUE_CODEC_OFFSET, values);
        OwnerTable owners = new OwnerTable(mem, ownerTableOffset(stripes), OWNER_ENTRIES, name);
        SharedMutex[] locks = new SharedMutex[stripes];
        for (int i = 0; i < stripes; i++) {
            locks[i] = SharedMutex.embedded(mem, stripeOffset(i) + STRIPE_LOCK, owners);
        }
        MapMemory memory = new MapMemory(segment, name);
        BlockHeap heap = new BlockHeap(memory, SharedMutex.embedded(mem, ALLOCATOR_LOCK_OFFSET, owners), stripes,
                heapOffset);
        MapStore store = new MapStore(memory, heap, locks, mem.get(LONG, HASH_SEED_OFFSET), heapOffset, maxKeySize,
                maxValueSize);
        return new Opened(segment, store, name);
    }

    private static void check(String name, String field, long found, long expected) {
        if (found != expected) {
            throw new SegmentFormatException(name + ": field " + field + ": " + found + ", expected " + expected);
        }
    }

    private static void checkCodec(String name, String what, MemorySegment mem, long offset, Codec<?> codec) {
        String stored = readName(mem, offset);
        String given = new String(codecNameBytes(codec.name()), java.nio.charset.StandardCharsets.UTF_8);
        if (stored == null) {
            throw new SegmentFormatException(name + ": field " + what + "Codec: name length out of range");
        }
        if (!stored.equals(given)) {
            throw new IllegalArgumentException(name + ": " + what + " codec " + codec.name()
                    + " does not match the map's " + what + " codec " + stored);
        }
    }
}
