package io.plenum.pool;

import io.plenum.segment.Segment;
import io.plenum.segment.UseAfterClose;
import io.plenum.sync.EventNotifier;
import io.plenum.sync.OwnedEventfd;
import io.plenum.sync.OwnerTable;
import io.plenum.sync.Reactor;
import io.plenum.sync.KotlinVerbs;
import io.plenum.sync.Waiting;
import java.lang.foreign.MemorySegment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.jspecify.annotations.Nullable;

/**
 * A fixed-size pool of slots in shared memory: any thread of any process that maps the pool can
 * allocate a slot, use it, and free it. The typed pools ({@link SharedLongPool}, {@link SharedIntPool},
 * {@link SharedDoublePool}, {@link SharedStringPool}, {@link SharedBytePool}) add the data
 * operations; this class has everything about allocation. Memory layout: {@link PoolLayout};
 * allocation protocol and its crash-safety argument: {@link SlotAllocator}.
 *
 * <h2>Allocating</h2>
 * <ul>
 *   <li>{@link #tryAlloc()} never waits: a slot index, or null when the pool is full.</li>
 *   <li>{@link #alloc()} waits as long as it takes; {@link #alloc(Duration)} returns null when the
 *       timeout passes first. A waiting allocation spins briefly, then sleeps on a futex, and
 *       frees the slots of dead processes itself when the pool stays full ({@link #recoverStale()}
 *       after {@link #FIRST_RECOVERY} of waiting, then every {@link #RECOVERY_INTERVAL}), so it
 *       never waits for ever on the dead.</li>
 *   <li>{@link #allocN(int)} and its variants take n slots, all or nothing.</li>
 *   <li>{@link #allocSlot()} returns a guard for try-with-resources that frees the slot on close.
 *       The guard says whether the slot came from a process that died holding it
 *       ({@link PoolSlot#recovered()}, as a lock's {@code RECOVERED}): the slots a recovery takes
 *       back are marked so, and the allocation that takes one next is told, on every path that
 *       returns a guard ({@link #allocSlot()}, {@link #tryAllocSlot()}, {@link #allocSlotAsync()},
 *       Kotlin's {@code allocSlot()}). The paths that return bare indexes take them as free
 *       slots.</li>
 * </ul>
 * Waiting calls throw {@link InterruptedException} when the thread is interrupted (noticed within
 * 50 ms). Bad arguments (an index outside the pool, a negative count) throw and change nothing.
 *
 * <p>Asynchronously: {@link #allocAsync()}, {@link #allocSlotAsync()} and {@link #allocNAsync(int)} return futures served by
 * the JVM's reactor, without a thread per waiter. In Kotlin (SlotsKt, PoolDsl): the builder DSL
 * {@code SharedLongPool(path) { capacity = 1024 }}; {@code alloc()}, {@code allocN(n)},
 * {@code allocSlot()}, {@code allocAndSet(v)} and {@code withSlot { slot -> }} suspend there (the
 * blocking members of those names are hidden from Kotlin, see {@link KotlinVerbs}), their
 * thread-blocking forms end in {@code Blocking}, and {@code notifications()} is a Flow of the eventfd.
 *
 * <h2>Owning, and handing a slot to another process</h2>
 * A slot belongs to the process that allocated it: {@link #free(int)} frees only this process's
 * slots, and when a process dies its slots are recovered ({@link #recoverStale()}). To hand a slot
 * to another process, the giver passes its {@link #ticket(int) ticket} ({@link SlotTicket}, one
 * {@code long}) and the receiver {@link #adopt adopts} it: one compare-and-set makes the receiver
 * the owner, so the giver's death no longer takes the slot away. A ticket that arrives after its
 * giver died and the slot was recovered matches nothing, and nobody's later free can free a newer
 * allocation of the same index:
 * <pre>{@code
 * // giver                                  // receiver
 * int slot = pool.allocAndSet(job);
 * send(pool.ticket(slot).toLong());         SlotTicket ticket = SlotTicket.fromLong(receive());
 *                                           if (pool.adopt(ticket)) {
 *                                               work(pool.get(ticket.slot()));
 *                                               pool.free(ticket.slot());
 *                                           }   // else: the giver died before, the job is gone
 * }</pre>
 * A process that must free another's slot without taking it over (a supervisor) frees it by its
 * ticket ({@link #free(SlotTicket)}).
 *
 * <p>Closing the pool unmaps it; any later call throws {@link IllegalStateException}. Closing does
 * not free this process's slots: other processes see them held until this process exits and they
 * are recovered, or until this process (another handle) frees them, or someone frees or adopts
 * them by ticket.
 */
public abstract class SlotPool implements AutoCloseable {
    /** How long a full pool is waited on before the first scan for dead owners. */
    public static final Duration FIRST_RECOVERY = Duration.ofMillis(10);
    /** How often a waiter on a full pool scans for dead owners after the first scan. */
    public static final Duration RECOVERY_INTERVAL = Duration.ofMillis(250);

    final Segment segment;
    /** The whole mapping; every offset of {@link PoolLayout} is relative to it. */
    final MemorySegment memory;
    final SlotAllocator allocator;
    final SlotClaims claims;
    final int capacity;
    /** {@link #capacity} while open, 0 once closed: the slot check fails after close at no cost (see {@link #checkSlot}). */
    private int bound;
    final int elementSize;
    final long dataOffset;
    final String where;
    private final PoolVariant variant;
    private final AsyncAllocator async;
    private final OwnedEventfd eventfd;

    SlotPool(Segment segment, PoolVariant variant) {
        this.segment = segment;
        this.memory = segment.memory();
        this.variant = variant;
        this.where = segment.describe();
        this.eventfd = new OwnedEventfd(where + ": the pool is closed");
        this.capacity = (int) segment.header().capacity();
        this.bound = capacity;
        this.elementSize = segment.header().elementSize();
        this.dataOffset = PoolLayout.dataOffset(capacity);
        OwnerTable owners = new OwnerTable(memory, PoolLayout.OWNER_TABLE_OFFSET, PoolLayout.OWNER_ENTRIES, where);
        this.allocator = new SlotAllocator(memory, owners, capacity, where);
        this.claims = new SlotClaims(allocator, memory, capacity, where);
        this.async = new AsyncAllocator(claims, memory, this::checkOpen);
    }

    // ---- allocation ---------------------------------------------------------------------------

    /** Allocates a slot if one is free now; null when the pool is full. Never waits. */
    public final @Nullable Integer tryAlloc() {
        int slot = tryAllocIndex();
        return slot == SlotAllocator.NONE ? null : slot;
    }

    /**
     * Allocates a slot if one is free now and returns its index, or -1 when the pool is full: as
     * {@link #tryAlloc()} without boxing, for hot loops.
     */
    public final int tryAllocIndex() {
        try {
            return allocator.claimSlot(claims.self());
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    /**
     * Allocates a slot, waiting as long as it takes. Hidden from Kotlin ({@link KotlinVerbs}),
     * where {@code alloc()} suspends and {@code allocBlocking()} is this.
     */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    public final int alloc() throws InterruptedException {
        return allocUntil(Waiting.NO_DEADLINE);
    }

    /** Allocates a slot, waiting at most {@code timeout}; null when the timeout passed first. Hidden from Kotlin. */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    public final @Nullable Integer alloc(Duration timeout) throws InterruptedException {
        return boxed(allocUntil(SlotClaims.deadline(timeout)));
    }

    /** The slot, or {@link SlotAllocator#NONE} at the deadline (also Kotlin's {@code allocBlocking}). */
    final int allocUntil(long deadline) throws InterruptedException {
        return SlotAllocator.slotOf(claimUntil(deadline));
    }

    /** A guard over a slot, or null at the deadline (also Kotlin's {@code allocSlotBlocking}). */
    final @Nullable PoolSlot allocSlotUntil(long deadline) throws InterruptedException {
        return guard(claimUntil(deadline));
    }

    /** The claim of a slot, or {@link SlotAllocator#NONE} at the deadline. */
    private int claimUntil(long deadline) throws InterruptedException {
        try {
            return claims.claimOne(claims.self(), deadline);
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    /** A guard over a claimed slot, saying whether it was recovered; null for {@link SlotAllocator#NONE}. */
    private @Nullable PoolSlot guard(int claim) {
        return claim == SlotAllocator.NONE ? null
                : new PoolSlot(this, SlotAllocator.slotOf(claim), SlotAllocator.wasRecovered(claim));
    }

    /**
     * Allocates a slot, waiting until {@code deadline}, and fills it with {@code writer} before it
     * becomes visible as allocated: nobody ever sees it allocated without its value. Returns
     * {@link SlotAllocator#NONE} at the deadline. A writer that throws leaves nothing allocated.
     */
    final int allocWriting(long deadline, SlotWriter writer) throws InterruptedException {
        checkOpen();
        int self = claims.self();
        int slot = SlotAllocator.slotOf(claims.claimOne(self | SlotAllocator.BUSY, deadline));
        return slot == SlotAllocator.NONE ? slot : fill(slot, self, writer);
    }

    /** As {@link #allocWriting} without waiting. */
    final int tryAllocWriting(SlotWriter writer) {
        checkOpen();
        int self = claims.self();
        int slot = allocator.claimSlot(self | SlotAllocator.BUSY);
        return slot == SlotAllocator.NONE ? slot : fill(slot, self, writer);
    }

    private int fill(int slot, int self, SlotWriter writer) {
        try {
            writer.write(slotOffset(slot));
        } catch (RuntimeException | Error e) {
            claims.abandon(slot);
            throw e;
        }
        claims.publish(slot, self);
        return slot;
    }

    /** null for {@link SlotAllocator#NONE}, else the slot. */
    static Integer boxed(int slot) {
        return slot == SlotAllocator.NONE ? null : slot;
    }

    /** A deadline for the typed pools' timed calls. */
    static long deadline(Duration timeout) {
        return SlotClaims.deadline(timeout);
    }

    /** Allocates {@code count} slots if that many are free now, all or nothing; null otherwise. */
    public final int @Nullable [] tryAllocN(int count) {
        checkOpen();
        checkCount(count);
        int self = claims.self();
        int[] claimed = claims.claimNow(self, count);
        if (claimed == null) {
            return null;
        }
        claims.publishAll(claimed, self);
        return SlotClaims.slots(claimed);
    }

    /** Allocates {@code count} slots, all or nothing, waiting as long as it takes. Hidden from Kotlin. */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    public final int[] allocN(int count) throws InterruptedException {
        return allocNUntil(count, Waiting.NO_DEADLINE);
    }

    /**
     * Allocates {@code count} slots, all or nothing, waiting at most {@code timeout}; null when the
     * timeout passed first (then no slot is held). Hidden from Kotlin.
     */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    public final int @Nullable [] allocN(int count, Duration timeout) throws InterruptedException {
        return allocNUntil(count, SlotClaims.deadline(timeout));
    }

    /** The slots, or null at the deadline (also Kotlin's {@code allocNBlocking}). */
    final int @Nullable [] allocNUntil(int count, long deadline) throws InterruptedException {
        checkOpen();
        checkCount(count);
        int self = claims.self();
        int[] claimed = claims.claimMany(self, count, deadline);
        if (claimed == null) {
            return null;
        }
        claims.publishAll(claimed, self);
        return SlotClaims.slots(claimed);
    }

    private void checkCount(int count) {
        if (count < 1 || count > capacity) {
            throw new IllegalArgumentException(where + ": count: " + count + " slots, must be 1.." + capacity
                    + " (the capacity)");
        }
    }

    /**
     * Frees a slot this process holds. Returns false, changing nothing, when this process does not
     * hold it: it is free, being allocated, or held by another process (also when this process
     * handed it over, or held it once and it was freed and allocated again since: a late or
     * repeated free never frees somebody else's allocation). A slot allocated by another process
     * is freed through its ticket ({@link #free(SlotTicket)}) or adopted first ({@link #adopt}).
     */
    public final boolean free(int slot) {
        checkSlot(slot);
        return claims.free(slot, claims.self());
    }

    /**
     * Frees the allocation {@code ticket} names, whoever holds it: false, changing nothing, when
     * the slot no longer holds that allocation (freed, recovered from a dead holder, adopted by
     * someone, allocated again).
     */
    public final boolean free(SlotTicket ticket) {
        checkTicket(ticket);
        return claims.free(ticket.slot(), ticket.owner());
    }

    /**
     * The ticket of the allocation the slot holds now, to hand it to another process (see
     * {@link SlotTicket}); null when it is not allocated (free, or still being allocated).
     */
    public final @Nullable SlotTicket ticket(int slot) {
        checkSlot(slot);
        int word = allocator.ownerWord(slot);
        return word == 0 || (word & SlotAllocator.BUSY) != 0 ? null : new SlotTicket(slot, word);
    }

    /**
     * Takes over the allocation {@code ticket} names: in one atomic step the slot's owner becomes
     * this process, so from then on it is this process's to use and free, and a recovery of the
     * giver (when the giver dies) leaves it alone. Returns false, changing nothing, when the slot
     * no longer holds that allocation (its giver died and it was recovered, it was freed or
     * adopted by someone else): the slot is then not this process's. True also when this process
     * holds it already (a ticket of its own).
     */
    public final boolean adopt(SlotTicket ticket) {
        checkTicket(ticket);
        int self = claims.self();
        return ticket.owner() == self ? allocator.ownerWord(ticket.slot()) == self
                : allocator.transfer(ticket.slot(), ticket.owner(), self);
    }

    /** A closed pool says so before anything else; a null ticket is bad input. */
    private void checkTicket(SlotTicket ticket) {
        checkOpen();
        if (ticket == null) {
            throw new IllegalArgumentException(describe() + ": ticket is required");
        }
        checkSlot(ticket.slot());
    }

    /**
     * Frees several slots this process holds with one wake for the batch. Returns how many were
     * freed (slots it does not hold are skipped, as {@link #free(int)} would). Every index is
     * checked before any is freed.
     */
    public final int freeN(int... slots) {
        for (int slot : slots) {
            checkSlot(slot);
        }
        return claims.freeAll(slots);
    }

    /**
     * Allocates a slot without blocking a thread: the future completes with the slot's index when
     * one is free (on the caller's thread if one is free now, else on a thread of the JVM's
     * {@link Reactor}). Requests of this handle are served in order, one per freed slot. Cancel the
     * future (or let {@code orTimeout} fail it) to stop waiting; a slot that arrives for a request
     * that ended meanwhile is freed at once, never leaked. A waiting request also recovers the
     * slots of dead owners, as {@link #alloc()} does.
     */
    public final CompletableFuture<Integer> allocAsync() {
        return async.allocOne();
    }

    /**
     * As {@link #allocAsync()}, filling the slot with {@code writer} before it becomes visible as
     * allocated (the typed pools' {@code allocAndSetAsync}). A writer that throws fails the future
     * and leaves nothing allocated.
     */
    final CompletableFuture<Integer> allocWritingAsync(SlotWriter writer) {
        return async.allocOne(slot -> writer.write(slotOffset(slot)));
    }

    /**
     * As {@link #allocAsync()}, completing with a guard over the slot that says whether it came
     * from a dead holder ({@link PoolSlot#recovered()}). A guard that arrives for a future that
     * ended meanwhile is closed at once.
     */
    public final CompletableFuture<PoolSlot> allocSlotAsync() {
        return async.allocSlot(this);
    }

    /** As {@link #allocAsync()} for {@code count} slots, all or nothing. */
    public final CompletableFuture<int[]> allocNAsync(int count) {
        checkCount(count);
        return async.allocMany(count);
    }

    /** Asynchronous requests of this handle waiting now. */
    public final int pendingAsync() {
        return async.pending();
    }

    /** Allocates a slot, waiting as long as it takes, and returns a guard that frees it on close. Hidden from Kotlin. */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    public final PoolSlot allocSlot() throws InterruptedException {
        return Objects.requireNonNull(allocSlotUntil(Waiting.NO_DEADLINE));
    }

    /** As {@link #allocSlot()}, waiting at most {@code timeout}; null when it passed first. Hidden from Kotlin. */
    @kotlin.Deprecated(message = KotlinVerbs.SUSPENDS_IN_KOTLIN)
    @kotlin.DeprecatedSinceKotlin(hiddenSince = "1.0")
    public final @Nullable PoolSlot allocSlot(Duration timeout) throws InterruptedException {
        return allocSlotUntil(SlotClaims.deadline(timeout));
    }

    /** A guard over a slot allocated now, or null when the pool is full. */
    public final @Nullable PoolSlot tryAllocSlot() {
        try {
            return guard(allocator.claim(claims.self()));
        } catch (IllegalStateException e) {
            throw closed(e);
        }
    }

    // ---- state --------------------------------------------------------------------------------

    /** True when the slot is allocated (to anyone, live or dead). */
    public final boolean isAllocated(int slot) {
        checkSlot(slot);
        return allocator.isHeld(slot);
    }

    /**
     * The pid of the process that allocated the slot, or 0 when it is not allocated (or its owner
     * has left the owner table, which only happens after it died).
     */
    public final int owner(int slot) {
        checkSlot(slot);
        int word = allocator.ownerWord(slot);
        if (word == 0 || (word & SlotAllocator.BUSY) != 0) {
            return 0;
        }
        return allocator.owners().pidOf(word);
    }

    /** The slot count, fixed at creation. */
    public final int capacity() {
        return capacity;
    }

    /** Bytes per slot, fixed at creation. */
    public final int elementSize() {
        return elementSize;
    }

    /** What the slots hold. */
    public final PoolVariant variant() {
        return variant;
    }

    /** How many slots are allocated now (exact when nothing changes meanwhile). */
    public final int used() {
        checkOpen();
        return allocator.used();
    }

    /** How many slots are free now: {@code capacity() - used()}. */
    public final int available() {
        checkOpen();
        return capacity - allocator.used();
    }

    /** The indexes of every allocated slot, ascending. */
    public final int[] allocatedSlots() {
        checkOpen();
        IntStream.Builder found = IntStream.builder();
        allocator.forEachHeld(found);
        return found.build().toArray();
    }

    /** Calls {@code action} with the index of every allocated slot, ascending. */
    public final void forEachAllocated(IntConsumer action) {
        checkOpen();
        allocator.forEachHeld(action);
    }

    // ---- recovery -----------------------------------------------------------------------------

    /**
     * Frees every slot whose owner process is dead (pid and start time, so a reused pid does not
     * keep a slot alive), also slots a process was killed in the middle of allocating or freeing.
     * Returns how many. Owners in another pid namespace cannot be judged and are left alone.
     */
    public final int recoverStale() {
        checkOpen();
        return claims.recover();
    }

    /**
     * Frees every slot at once, whoever holds it. Only for exclusive use (no other thread or process
     * using the pool); the statistics keep counting.
     */
    public final void reset() {
        checkOpen();
        claims.reset();
    }

    // ---- views --------------------------------------------------------------------------------

    /**
     * The memory of one slot, {@link #elementSize()} bytes, zero-copy. It stays valid until the pool
     * is closed and shows whatever the slot holds at each moment, also after it is freed and
     * allocated again.
     */
    public final MemorySegment slot(int slot) {
        checkSlot(slot);
        return memory.asSlice(slotOffset(slot), elementSize);
    }

    /** The whole data region: slot i at byte {@code i * elementSize()}. Zero-copy. */
    public final MemorySegment data() {
        checkOpen();
        return memory.asSlice(dataOffset, (long) capacity * elementSize);
    }

    final long slotOffset(int slot) {
        return dataOffset + (long) slot * elementSize;
    }

    final void checkSlot(int slot) {
        if (slot < 0 || slot >= bound) {
            checkOpen();
            throw new IndexOutOfBoundsException(where + ": slot " + slot + " is outside the pool (capacity "
                    + capacity + ", slots 0.." + (capacity - 1) + ")");
        }
    }

    // ---- eventfd ------------------------------------------------------------------------------

    /**
     * This handle's eventfd, created on first call and closed with the pool: a counter to tell
     * other threads, event loops or processes that something happened in the pool, such as "a
     * slot is ready for you". Signal it with {@link #signalEventfd()}; Kotlin collects it as a
     * {@code Flow} with {@code pool.notifications()}. Another process shares it by
     * {@code useEventfd(EventNotifier.fromProcess(pid, fd))} or through
     * {@link io.plenum.segment.FdHandoff}.
     */
    public final EventNotifier eventfd() {
        return eventfd.get();
    }

    /**
     * Uses {@code notifier} as this handle's eventfd from now on (for example one opened from
     * another process); the previous one is closed, and the pool closes this one.
     */
    public final void useEventfd(EventNotifier notifier) {
        eventfd.use(notifier);
    }

    /** Adds 1 to the eventfd's counter; false when this handle has none yet. */
    public final boolean signalEventfd() {
        return eventfd.signal();
    }

    /** Takes the eventfd's counter (0 when nothing was signalled since, or this handle has none). */
    public final long consumeEventfd() {
        return eventfd.consume();
    }

    // ---- statistics and the segment ----------------------------------------------------------

    /** A snapshot of the counters; each is read atomically, together they are approximate. */
    public final PoolStats stats() {
        checkOpen();
        // Every slot ever taken was freed (or recovered) or is still taken, so frees + used counts
        // the allocations; read while others work, both sides are lower bounds (frees before the
        // scan, the scan not one instant), never above the truth. Reported through the pool's
        // highest-seen words, so that no process ever sees either counter go back (PoolLayout).
        long frees = claims.atLeastSeen(PoolLayout.FREES_SEEN_OFFSET, allocator.frees());
        int used = used();
        long allocs = claims.atLeastSeen(PoolLayout.ALLOCS_SEEN_OFFSET, frees + used);
        return new PoolStats(capacity, elementSize, used, capacity - used, allocator.waiters(),
                segment.mappedSize(), allocs, frees,
                claims.counter(PoolLayout.WAITS_OFFSET), claims.counter(PoolLayout.TIMEOUTS_OFFSET),
                claims.counter(PoolLayout.RECOVERIES_OFFSET));
    }

    /** The segment under the pool (its backing, fd, path). */
    public final Segment segment() {
        return segment;
    }

    /** The path of a file or shm backing. */
    public final Optional<Path> path() {
        return segment.path();
    }

    /** Names the pool's segment in messages. */
    public final String describe() {
        return where;
    }

    /** Writes the mapping back to its file ({@code msync}). */
    public final void sync() {
        checkOpen();
        segment.sync();
    }

    /** Removes the pool's name; processes that have it open keep using it. */
    public final boolean unlink() {
        checkOpen();
        return segment.unlink();
    }

    public final boolean isClosed() {
        return segment.isClosed();
    }

    final void checkOpen() {
        if (segment.isClosed()) {
            throw UseAfterClose.of(getClass().getSimpleName() + " " + where);
        }
    }

    /** {@code e}, from an access to the memory, as the use-after-close exception when the pool is closed. */
    final IllegalStateException closed(IllegalStateException e) {
        return UseAfterClose.translate(e, memory, getClass().getSimpleName() + " " + where);
    }

    /**
     * Unmaps the pool and closes its eventfd. Pending {@link #allocAsync()} requests fail with
     * {@link IllegalStateException} ("… the pool was closed"), and so do suspended allocations and
     * any other wait on the pool's words or its eventfd; a {@code notifications()} flow completes
     * normally (the convention of {@link io.plenum.sync.Reactor}, "Closing"). Idempotent. Does not
     * free this process's slots.
     */
    @Override
    public void close() {
        if (segment.isClosed()) {
            return;
        }
        bound = 0;
        async.failAll(new IllegalStateException(where + ": the pool was closed"));
        eventfd.close();
        segment.close();
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + where + ", " + (isClosed() ? "closed"
                : used() + "/" + capacity + " used") + "]";
    }
}
