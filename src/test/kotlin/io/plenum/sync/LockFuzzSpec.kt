package io.plenum.sync

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.segment.Segment
import io.plenum.sync.LockFuzz.Op
import io.plenum.sync.LockFuzz.Word
import io.plenum.testing.TempPaths
import java.nio.file.Path
import java.time.Duration
import java.util.concurrent.TimeUnit
import kotlin.random.Random
import kotlin.time.Duration.Companion.milliseconds

/** A standalone lock type under fuzzing: how to open it, its words, and every operation. */
private class FuzzCase<L : AutoCloseable>(
    val name: String,
    val kind: LockSegmentKind,
    val open: (Path, OpenMode) -> L,
    val segmentOf: (L) -> Segment,
    val lockWords: (body: Long, tokens: (java.lang.foreign.MemorySegment) -> List<Long>) -> List<Word>,
    val ops: (L) -> List<Op>,
)

private const val ENTRIES = 2
private val CHECK = 20.milliseconds
private val SHORT: Duration = Duration.ofMillis(50)

private val cases = listOf(
    FuzzCase("mutex", SharedMutex.KIND, { path, mode -> SharedMutex(Backing.file(path)) { this.mode = mode; ownerEntries = if (mode == OpenMode.CREATE_NEW) ENTRIES else -1; recoveryCheck = CHECK } },
        { it.segment()!! },
        { body, tokens -> LockFuzz.ownedWordWords("mutex", body, tokens) },
        { m ->
            listOf(
                Op("lock, unlock") { m.lockBlocking(); m.unlock() },
                Op("tryLock") { if (m.tryLock().acquired()) m.unlock() },
                Op("tryLock(timeout)") { if (m.tryLock(SHORT).acquired()) m.unlock() },
                Op("lockAsync") { m.lockAsync().get(15, TimeUnit.SECONDS); m.unlock() },
                Op("state") { m.isLocked; m.holderStatus(); m.describeHolder(); m.recoveries(); m.isHeldByThisProcess }, 
                Op("recoverIfDead") { m.recoverIfDead() },
                Op("guard") { m.guard().close() },
            )
        }),
    FuzzCase("rwlock", SharedRwLock.KIND, { path, mode -> SharedRwLock(Backing.file(path)) { this.mode = mode; ownerEntries = if (mode == OpenMode.CREATE_NEW) ENTRIES else -1; recoveryCheck = CHECK } },
        { it.segment()!! },
        { body, tokens ->
            LockFuzz.ownedWordWords("rwlock writer", body, tokens) + listOf(
                Word("rwlock drained", body + SharedRwLock.DRAINED_OFFSET, false) { LockFuzz.wordValues },
                Word("rwlock drained waiters", body + SharedRwLock.DRAINED_OFFSET + 4, false) { LockFuzz.wordValues },
                Word("rwlock entries", body + SharedRwLock.ENTRIES_OFFSET, false) { listOf(0L, 1L, 3L, -1L) },
                Word("rwlock reserved", body + SharedRwLock.ENTRIES_OFFSET + 4, false) { LockFuzz.wordValues },
            ) + (0 until ENTRIES).flatMap { i ->
                val slot = body + SharedRwLock.SLOTS_OFFSET + SharedRwLock.SLOT_SIZE * i
                listOf(
                    Word("rwlock slot $i count", slot, false) { LockFuzz.wordValues },
                    // In a slot other than entry 0's: the token this process takes in a fresh table,
                    // holds that it will never release since it only counts in its own slot.
                    Word("rwlock slot $i owner", slot + 4, false) { memory ->
                        tokens(memory) + if (i == 0) emptyList() else listOf(OwnerTable.token(0, 1).toLong())
                    },
                    // Both halves at once: the count and the owner of a hold (count 1, owner 0 among them).
                    Word("rwlock slot $i", slot, true) { memory ->
                        (tokens(memory) + 0L + if (i == 0) emptyList() else listOf(OwnerTable.token(0, 1).toLong())).flatMap { owner -> listOf(1L, -1L, 7L).map { count -> (owner shl 32) or (count and 0xFFFF_FFFFL) } }
                    },
                )
            }
        },
        { l ->
            listOf(
                Op("readLock, readUnlock") { l.readLockBlocking(); l.readUnlock() },
                Op("writeLock, writeUnlock") { l.writeLockBlocking(); l.writeUnlock() },
                Op("tryReadLock") { if (l.tryReadLock().acquired()) l.readUnlock() },
                Op("tryWriteLock") { if (l.tryWriteLock().acquired()) l.writeUnlock() },
                Op("tryReadLock(timeout)") { if (l.tryReadLock(SHORT).acquired()) l.readUnlock() },
                Op("tryWriteLock(timeout)") { if (l.tryWriteLock(SHORT).acquired()) l.writeUnlock() },
                Op("readLockAsync") { l.readLockAsync().get(15, TimeUnit.SECONDS); l.releaseRead() },
                Op("writeLockAsync") { l.writeLockAsync().get(15, TimeUnit.SECONDS); l.writerWord().release(0) },
                Op("state") { l.readHolds(); l.isWriteLocked; l.recoveries(); l.isWriteLockedByCurrentThread },
                Op("recoverIfDead") { l.recoverIfDead() },
                Op("writeGuard, readGuard") { l.writeGuard().close(); l.readGuard().close() },
            )
        }),
    FuzzCase("seqlock", Seqlock.KIND, { path, mode -> Seqlock(Backing.file(path)) { this.mode = mode; ownerEntries = if (mode == OpenMode.CREATE_NEW) ENTRIES else -1; recoveryCheck = CHECK } },
        { it.segment()!! },
        { body, tokens ->
            LockFuzz.ownedWordWords("seqlock writer", body, tokens) + listOf(
                Word("seqlock sequence", body + Seqlock.SEQUENCE_OFFSET, false) { LockFuzz.wordValues },
                Word("seqlock sequence waiters", body + Seqlock.SEQUENCE_OFFSET + 4, false) { LockFuzz.wordValues },
                Word("seqlock reserved", body + Seqlock.SEQUENCE_OFFSET + 8, true) { listOf(-1L) },
            )
        },
        { s ->
            listOf(
                Op("beginRead, validate") { s.validate(s.beginRead()) },
                Op("read") { s.read { 1 } },
                Op("beginWrite, endWrite") { s.beginWrite(); s.endWrite() },
                Op("tryBeginWrite(timeout)") { if (s.tryBeginWrite(SHORT).acquired()) s.endWrite() },
                Op("beginRead after a write") { s.validate(s.beginRead()) },
                Op("state") { s.sequence(); s.isTorn; s.recoveries() },
                Op("recoverIfDead") { s.recoverIfDead() },
                Op("write") { s.write { } },
            )
        }),
)

/** Corrupts [corruption] words of a new segment of [case], reopens it and runs every operation; returns the failures. */
private fun <L : AutoCloseable> trial(case: FuzzCase<L>, path: Path, label: String, corruption: List<Word>, random: Random): List<String> {
    val writes = mutableListOf<String>()
    val where: String
    case.open(path, OpenMode.CREATE_NEW).use { creator ->
        val segment = case.segmentOf(creator)
        where = segment.describe()
        for (word in corruption) {
            val value = word.values(segment.memory()).let { it[random.nextInt(it.size)] }
            LockFuzz.write(segment.memory(), word, value)
            writes += "${word.name}=0x${java.lang.Long.toHexString(value)}"
        }
    }
    val fullLabel = "${case.name} $label [${writes.joinToString()}]"
    var handle: L? = null
    val failures = LockFuzz.runOps(fullLabel, where, listOf(Op("open") { handle = case.open(path, OpenMode.OPEN_EXISTING) }))
    val lock = handle ?: return failures
    val opFailures = LockFuzz.runOps(fullLabel, where, case.ops(lock))
    if (opFailures.none { it.endsWith("HUNG") }) lock.close()
    return failures + opFailures
}

/** Every fuzzed word of [case], located in a fresh segment at [probe]. */
private fun <L : AutoCloseable> wordsOf(case: FuzzCase<L>, probe: Path): List<Word> =
    case.open(probe, OpenMode.CREATE_NEW).use { lock ->
        val segment = case.segmentOf(lock)
        val body = segment.header().bodyOffset()
        val table = body + case.kind.lockArea(ENTRIES)
        LockFuzz.ownerTableWords(table, ENTRIES) + case.lockWords(body, LockFuzz.tokenValues(table, ENTRIES))
    }

class LockFuzzSpec : FunSpec({
    val paths = TempPaths("fuzz")
    afterSpec { paths.close() }

    for (case in cases) {
        fun words(): List<Word> = wordsOf(case, paths.next(case.name))

        test("${case.name}: every word of the lock and of its owner table, with each of its corrupt values: every operation works, recovers or refuses, none hangs") {
            val failures = mutableListOf<String>()
            for (word in words()) {
                // One trial per candidate value: the seed picks it, in order.
                val count = word.values(java.lang.foreign.MemorySegment.ofArray(LongArray(4096))).size
                for (v in 0 until count) {
                    failures += trial(case, paths.next(case.name), "value #$v", listOf(word), LockFuzz.FixedPick(v))
                }
            }
            failures.joinToString("\n") shouldBe ""
        }

        test("${case.name}: 60 seeded corruptions of 1 to 3 words at once: every operation works, recovers or refuses, none hangs") {
            val failures = mutableListOf<String>()
            val words = words()
            for (seed in 1..60) {
                val random = Random(seed)
                val corruption = (0 until random.nextInt(1, 4)).map { words[random.nextInt(words.size)] }
                    .sortedBy { if (it.name.startsWith("entry") || it.name.startsWith("owner")) 0 else 1 }
                failures += trial(case, paths.next(case.name), "seed $seed", corruption, random)
            }
            failures.joinToString("\n") shouldBe ""
        }
    }
})

