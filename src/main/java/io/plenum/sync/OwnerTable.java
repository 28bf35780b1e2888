package io.plenum.sync;

import io.plenum.linux.Processes;
import io.plenum.segment.SegmentFormatException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.VarHandle;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A small process table embedded in a segment, so that whatever a process owns (a lock, a pool
 * slot) is recorded as a 4-byte <em>owner token</em> instead of a pid and a start time.
 *
 * <h2>Layout</h2>
 * At an 8-aligned offset chosen by the structure that embeds it:
 * <pre>
 *  0               4               8                                16
 *  +---------------+---------------+--------------------------------+
 *  | magic 'PLOT'  | entries u32   | reserved, zero                 |   table header (16 bytes)
 *  +---------------+---------------+--------------------------------+
 * 16 + 32 * i, entry i (0 &lt;= i &lt; entries):
 *  0                               8                               16
 *  +---------------+---------------+-------------------------------+
 *  | pid u32       | generation u32| startTime u64 (clock ticks)   |
 *  +---------------+---------------+-------------------------------+
 * 16                               24              28              32
 *  | pidNamespace u64 (inode)      | committed u32 | reserved, zero|
 *  +-------------------------------+---------------+---------------+
 * </pre>
 * The first 8 bytes of an entry are one 64-bit word, {@code ident = generation << 32 | pid}, changed
 * only by compare-and-set: a pid of 0 means the entry is free. {@code committed} is the generation
 * whose start time and namespace have been written: until it equals {@code generation}, the start
 * time belongs to an earlier owner and is not compared.
 *
 * <h2>Owner tokens</h2>
 * <pre>
 *  31                          INDEX_BITS                        0
 *  +-------------------------------+------------------------------+
 *  | generation, low 20 bits, != 0 | entry index (12 bits)        |
 *  +-------------------------------+------------------------------+
 * </pre>
 * Token 0 ({@link #NO_OWNER}) means "no owner"; every real token has a non-zero generation part. A
 * token is alive while its entry still holds the same generation and the process (pid + start time)
 * still runs. An entry whose process is dead is reused with the next generation, so the old tokens
 * still found in locks or slots stay dead for good.
 *
 * <h2>Registration, and why a crash at any instruction is harmless</h2>
 * A process claims an entry with one CAS of {@code ident} from (g, 0) or (g, deadPid) to
 * (g + 1, ownPid), then writes its start time and pid namespace, then {@code committed = g + 1}
 * (release), then hands out its token. Until the commit, others judge the entry by
 * {@code kill(pid, 0)} alone, so a registering process is never taken for dead because of the
 * previous owner's start time. A process killed between the CAS and the commit left no token
 * anywhere, and its entry is reclaimed once that pid no longer runs. Entries are never freed by a living
 * process: they are reclaimed from dead ones when the table is full.
 *
 * <p>A process has one entry per table, however many handles it opens on the segment: a handle
 * first looks for the process's committed entry, and registrations of one JVM never run at once
 * (see {@link #register()}), so two handles cannot both miss each other's entry and claim two.
 *
 * <h2>Namespaces</h2>
 * A process in another pid namespace reads pids that mean something else here, so an owner whose
 * recorded namespace differs from ours has {@link Status#FOREIGN_NAMESPACE}: never declared dead,
 * never recovered. Callers report it ({@link ForeignOwnerException}).
 *
 * <h2>Costs</h2>
 * {@link #currentOwner()} is a field read after the first call. {@link #status} of a live owner
 * costs {@code kill(pid, 0)} and a read of {@code /proc/pid/stat}; a token found dead is remembered
 * (dead stays dead), so dead tokens cost a map lookup.
 */
public final class OwnerTable {
    /** The token that means "nobody". */
    public static final int NO_OWNER = 0;
    public static final int MAGIC = 0x544F4C50; // "PLOT", little-endian
    public static final int INDEX_BITS = 12;
    public static final int MAX_ENTRIES = 1 << INDEX_BITS;
    public static final int INDEX_MASK = MAX_ENTRIES - 1;
    public static final int GENERATION_MASK = (1 << (32 - INDEX_BITS)) - 1;

    public static final long MAGIC_OFFSET = 0;
    public static final long ENTRIES_OFFSET = 4;
    public static final long HEADER_SIZE = 16;
    public static final long ENTRY_SIZE = 32;
    public static final long IDENT_OFFSET = 0;
    public static final long PID_OFFSET = 0;
    public static final long GENERATION_OFFSET = 4;
    public static final long START_TIME_OFFSET = 8;
    public static final long PID_NAMESPACE_OFFSET = 16;
    public static final long COMMITTED_OFFSET = 24;

    /** The state of an owner token. */
    public enum Status {
        /** Token 0: nobody owns. */
        NONE,
        /** The owner process runs. */
        ALIVE,
        /** The owner process is gone (or its pid now belongs to a newer process). */
        DEAD,
        /** The owner lives in another pid namespace: its liveness cannot be known here. */
        FOREIGN_NAMESPACE
    }

    private static final VarHandle LONG = ValueLayout.JAVA_LONG.varHandle();
    private static final VarHandle INT = ValueLayout.JAVA_INT.varHandle();
    /** Tokens known dead, per table base address. Dead stays dead, so this never goes stale. */
    private static final int DEAD_CACHE_LIMIT = 4096;

    /** Serialises every registration of this JVM, on any table: see {@link #register()}. */
    private static final ReentrantLock REGISTRATION = new ReentrantLock();

    private final MemorySegment memory;
    private final long base;
    private final int entries;
    private final String where;
    private final ConcurrentHashMap<Integer, Boolean> knownDead = new ConcurrentHashMap<>();
    private volatile int current = NO_OWNER;

    /**
     * A view of the table at {@code offset} of {@code memory}, checked against {@code entries}.
     *
     * @param where names the segment in messages
     * @throws IllegalArgumentException {@code entries} or {@code offset} is not a possible table
     * @throws SegmentFormatException the memory holds no initialised table, or one of another entry
     *         count: shared contents are never trusted, so a corrupt table is refused, never used
     */
    public OwnerTable(MemorySegment memory, long offset, int entries, String where) {
        checkEntries(entries);
        this.memory = Objects.requireNonNull(memory, "memory");
        this.where = where;
        this.base = offset;
        this.entries = entries;
        checkPlacement(memory, offset, entries);
        int magic = (int) INT.getAcquire(memory, offset + MAGIC_OFFSET);
        if (magic != MAGIC) {
            throw new SegmentFormatException(where + ": owner table at offset " + offset + " field magic: 0x"
                    + Integer.toHexString(magic) + ", expected 0x" + Integer.toHexString(MAGIC)
                    + " (never initialised?)");
        }
        int stored = (int) INT.get(memory, offset + ENTRIES_OFFSET);
        if (stored != entries) {
            throw new SegmentFormatException(where + ": owner table at offset " + offset + " field entries: "
                    + stored + ", expected " + entries);
        }
    }

    /** The bytes a table of {@code entries} entries takes. */
    public static long bytesFor(int entries) {
        checkEntries(entries);
        return HEADER_SIZE + ENTRY_SIZE * entries;
    }

    /** Writes an empty table; for the creator of a new, zeroed segment, before anyone else sees it. */
    public static void initialize(MemorySegment memory, long offset, int entries) {
        checkEntries(entries);
        checkPlacement(memory, offset, entries);
        memory.asSlice(offset, bytesFor(entries)).fill((byte) 0);
        INT.set(memory, offset + ENTRIES_OFFSET, entries);
        INT.setRelease(memory, offset + MAGIC_OFFSET, MAGIC);
    }

    private static void checkEntries(int entries) {
        if (entries < 1 || entries > MAX_ENTRIES) {
            throw new IllegalArgumentException("owner table entries must be 1.." + MAX_ENTRIES + ": " + entries);
        }
    }

    private static void checkPlacement(MemorySegment memory, long offset, int entries) {
        if ((offset & 7) != 0) {
            throw new IllegalArgumentException("owner table offset must be 8-aligned: " + offset);
        }
        Objects.checkFromIndexSize(offset, bytesFor(entries), memory.byteSize());
    }

    public int entries() {
        return entries;
    }

    /**
     * This process's token, registering the process on first use.
     *
     * @throws IllegalStateException the table is full of live processes
     */
    public int currentOwner() {
        int token = current;
        return token != NO_OWNER ? token : register();
    }

    /**
     * Registers this process, or finds its registration. One process has one entry per table, however
     * many handles of it (mappings of one file, views of one mapping) register at once: every
     * registration of this JVM runs under {@link #REGISTRATION}, so the scan for our own committed
     * entry and the claim of a new one are one step with respect to every other handle of this
     * process, whatever table it views. Holding one JVM-wide lock is cheaper and more robust than a
     * registry keyed by segment identity (dev + inode, memfd, fd passed from another process, a
     * user's own mapping): the table itself is the registry, and there is nothing to count or
     * forget when a handle closes, since entries are never freed by a living process.
     */
    private int register() {
        REGISTRATION.lock();
        try {
            if (current == NO_OWNER) {
                int found = findOwn();
                current = found != NO_OWNER ? found : claim();
            }
            return current;
        } finally {
            REGISTRATION.unlock();
        }
    }

    /** The token of this process's committed entry, or {@link #NO_OWNER}. Called under {@link #REGISTRATION}. */
    private int findOwn() {
        int pid = Processes.currentPid();
        long startTime = Processes.currentStartTime();
        long namespace = Processes.currentPidNamespace();
        for (int i = 0; i < entries; i++) {
            long ident = ident(i);
            if (pidOf(ident) == pid && generationOf(ident) != 0
                    && (int) INT.getAcquire(memory, entryOffset(i) + COMMITTED_OFFSET) == generationOf(ident)
                    && startTimeOf(i) == startTime
                    && (long) LONG.getAcquire(memory, entryOffset(i) + PID_NAMESPACE_OFFSET) == namespace) {
                return token(i, generationOf(ident));
            }
        }
        return NO_OWNER;
    }

    /** Claims a free entry, or one of a dead process, for this process. Called under {@link #REGISTRATION}. */
    private int claim() {
        int pid = Processes.currentPid();
        long startTime = Processes.currentStartTime();
        for (int pass = 0; pass < 2; pass++) {
            for (int i = 0; i < entries; i++) {
                long ident = ident(i);
                int holder = pidOf(ident);
                boolean claimable = holder == 0 || (pass == 1 && entryDead(i, ident));
                if (claimable) {
                    int generation = nextGeneration(generationOf(ident));
                    long claimed = ((long) generation << 32) | (pid & 0xFFFF_FFFFL);
                    if (LONG.compareAndSet(memory, entryOffset(i) + IDENT_OFFSET, ident, claimed)) {
                        LONG.set(memory, entryOffset(i) + PID_NAMESPACE_OFFSET, Processes.currentPidNamespace());
                        LONG.set(memory, entryOffset(i) + START_TIME_OFFSET, startTime);
                        INT.setVolatile(memory, entryOffset(i) + COMMITTED_OFFSET, generation);
                        return token(i, generation);
                    }
                }
            }
        }
        throw new IllegalStateException(where + ": owner table is full: all " + entries
                + " entries belong to live processes");
    }

    /** The generation after {@code generation}, never 0 in its token bits. */
    static int nextGeneration(int generation) {
        int next = generation + 1;
        return (next & GENERATION_MASK) == 0 ? next + 1 : next;
    }

    static int token(int index, int generation) {
        return ((generation & GENERATION_MASK) << INDEX_BITS) | index;
    }

    /** The entry index of a token. */
    public static int indexOf(int token) {
        return token & INDEX_MASK;
    }

    /** True when {@code owner} is a dead process: its entry was reused, or its process is gone. */
    public boolean isDead(int owner) {
        return status(owner) == Status.DEAD;
    }

    /** The state of an owner token. A token that no entry of this table can hold counts as dead. */
    public Status status(int owner) {
        if (owner == NO_OWNER) {
            return Status.NONE;
        }
        if (owner == current) {
            return Status.ALIVE;
        }
        if (knownDead.containsKey(owner)) {
            return Status.DEAD;
        }
        Status status = lookUp(owner);
        if (status == Status.DEAD && knownDead.size() < DEAD_CACHE_LIMIT) {
            knownDead.put(owner, Boolean.TRUE);
        }
        return status;
    }

    private Status lookUp(int owner) {
        int index = indexOf(owner);
        if (index >= entries) {
            return Status.DEAD;
        }
        long ident = ident(index);
        if ((generationOf(ident) & GENERATION_MASK) != (owner >>> INDEX_BITS) || pidOf(ident) == 0) {
            return Status.DEAD;
        }
        long namespace = (long) LONG.getAcquire(memory, entryOffset(index) + PID_NAMESPACE_OFFSET);
        if (namespace != 0 && namespace != Processes.currentPidNamespace()) {
            return Status.FOREIGN_NAMESPACE;
        }
        return entryDead(index, ident) ? Status.DEAD : Status.ALIVE;
    }

    /** True when entry {@code index}, holding {@code ident}, belongs to a process that no longer runs. */
    private boolean entryDead(int index, long ident) {
        int pid = pidOf(ident);
        if (pid == 0) {
            return false;
        }
        long namespace = (long) LONG.getAcquire(memory, entryOffset(index) + PID_NAMESPACE_OFFSET);
        if (namespace != 0 && namespace != Processes.currentPidNamespace()) {
            return false;
        }
        boolean committed = (int) INT.getAcquire(memory, entryOffset(index) + COMMITTED_OFFSET) == generationOf(ident);
        long startTime = startTimeOf(index);
        if (!Processes.exists(pid)) {
            return true;
        }
        // Not committed: the start time is an earlier owner's (the claimer is registering, or died
        // doing so); a running pid then cannot be told apart from a reuse, so it is taken as alive.
        return committed && Processes.startTime(pid) != startTime;
    }

    /**
     * Describes an owner for messages: {@code "pid 1234 (entry 3)"}.
     */
    public String describe(int owner) {
        if (owner == NO_OWNER) {
            return "nobody";
        }
        int index = indexOf(owner);
        if (index >= entries) {
            return "invalid owner token 0x" + Integer.toHexString(owner);
        }
        long ident = ident(index);
        boolean same = (generationOf(ident) & GENERATION_MASK) == (owner >>> INDEX_BITS);
        return same ? "pid " + pidOf(ident) + " (owner entry " + index + ")"
                : "a process that has left owner entry " + index;
    }

    /**
     * Frees the entries of dead processes now (registration also does it when the table is full).
     * Returns how many were freed. Tokens of those processes stay dead.
     */
    public int reclaimDead() {
        int freed = 0;
        for (int i = 0; i < entries; i++) {
            long ident = ident(i);
            if (pidOf(ident) != 0 && entryDead(i, ident)) {
                long free = ident & 0xFFFF_FFFF_0000_0000L;
                if (LONG.compareAndSet(memory, entryOffset(i) + IDENT_OFFSET, ident, free)) {
                    freed++;
                }
            }
        }
        return freed;
    }

    /** The pid recorded for a token, or 0 when its entry has moved on. */
    public int pidOf(int owner) {
        int index = indexOf(owner);
        if (owner == NO_OWNER || index >= entries) {
            return 0;
        }
        long ident = ident(index);
        return (generationOf(ident) & GENERATION_MASK) == (owner >>> INDEX_BITS) ? pidOf(ident) : 0;
    }

    private long entryOffset(int index) {
        return base + HEADER_SIZE + ENTRY_SIZE * index;
    }

    private long ident(int index) {
        return (long) LONG.getVolatile(memory, entryOffset(index) + IDENT_OFFSET);
    }

    private long startTimeOf(int index) {
        return (long) LONG.getAcquire(memory, entryOffset(index) + START_TIME_OFFSET);
    }

    private static int pidOf(long ident) {
        return (int) ident;
    }

    private static int generationOf(long ident) {
        return (int) (ident >>> 32);
    }

    /** Names the segment holding the table, for messages. */
    public String where() {
        return where;
    }
}
