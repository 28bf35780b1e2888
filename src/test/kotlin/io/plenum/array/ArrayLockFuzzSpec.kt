package io.plenum.array

import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.plenum.segment.Backing
import io.plenum.sync.LockFuzz
import io.plenum.sync.LockFuzz.Op
import io.plenum.sync.LockFuzz.Word
import io.plenum.sync.SharedRwLock
import io.plenum.sync.Seqlock
import io.plenum.testing.TempPaths
import java.nio.file.Path
import java.time.Duration
import kotlin.random.Random

/**
 * The words of an array's locks (its rw-lock, seqlock and owner table) corrupted in a segment whose
 * header and descriptor are valid: every operation of the array works, recovers or refuses, none
 * hangs. A corrupt reader slot of the rw-lock (count 1, owner 0) once made every bulk writer wait
 * for ever.
 */
class ArrayLockFuzzSpec : FunSpec({
    val paths = TempPaths("array-fuzz")
    afterSpec { paths.close() }

    val capacity = 16
    val layout = ArrayLayout.of(ElementType.I64, capacity.toLong(), 8)
    val entries = layout.ownerEntries()
    val tokens = LockFuzz.tokenValues(layout.ownerTableOffset(), entries)
    val rw = layout.rwLockOffset()
    val seq = layout.seqlockOffset()
    // Entries and slots 0 and 1 (this process takes entry 0 of a fresh table) and the last one.
    val sample = listOf(0, 1, entries - 1)
    val words: List<Word> = LockFuzz.ownerTableWords(layout.ownerTableOffset(), entries, sample) +
        LockFuzz.ownedWordWords("rwlock writer", rw + SharedRwLock.WRITER_OFFSET, tokens) +
        listOf(
            Word("rwlock drained", rw + SharedRwLock.DRAINED_OFFSET, false) { LockFuzz.wordValues },
            Word("rwlock entries", rw + SharedRwLock.ENTRIES_OFFSET, false) { listOf(0L, -1L, entries + 1L) },
        ) +
        sample.flatMap { i ->
            val slot = rw + SharedRwLock.SLOTS_OFFSET + SharedRwLock.SLOT_SIZE * i
            listOf(
                Word("rwlock slot $i count", slot, false) { LockFuzz.wordValues },
                Word("rwlock slot $i", slot, true) { memory ->
                    val owners = tokens(memory) + 0L + if (i == 0) emptyList() else listOf(LockFuzz.firstToken)
                    owners.flatMap { owner -> listOf(1L, 7L).map { count -> (owner shl 32) or count } }
                },
            )
        } +
        LockFuzz.ownedWordWords("seqlock writer", seq + Seqlock.WRITER_OFFSET, tokens) +
        listOf(
            Word("seqlock sequence", seq + Seqlock.SEQUENCE_OFFSET, false) { LockFuzz.wordValues },
            Word("seqlock sequence waiters", seq + Seqlock.SEQUENCE_OFFSET + 4, false) { LockFuzz.wordValues },
        )

    fun ops(array: SharedLongArray): List<Op> = listOf(
        Op("get, set") { array.setRelease(1, array.get(1) + 1) },
        Op("fill (bulk write)") { array.fill(7L) },
        Op("slice (bulk read)") { array.slice(0, capacity) },
        Op("copyFrom, copyTo") { array.copyFrom(0, LongArray(capacity) { it.toLong() }); array.copyTo(0, LongArray(capacity), 0, capacity) },
        Op("writeLock batch") { array.writeLock().use { array.fill(1L) } },
        Op("readLock") { array.readLock().close() },
        Op("tryWriteLock(timeout)") { array.tryWriteLock(Duration.ofMillis(50))?.close() },
        Op("tryReadLock(timeout)") { array.tryReadLock(Duration.ofMillis(50))?.close() },
        Op("stats") { array.stats() },
        Op("slice after the writes") { array.slice(0, capacity) },
    )

    fun trial(path: Path, label: String, corruption: List<Word>, random: Random): List<String> {
        val writes = mutableListOf<String>()
        val where: String
        SharedLongArray.open(Backing.file(path), capacity).use { creator ->
            where = creator.describe()
            val memory = creator.segment.memory()
            for (word in corruption) {
                val value = word.values(memory).let { it[random.nextInt(it.size)] }
                LockFuzz.write(memory, word, value)
                writes += "${word.name}=0x${java.lang.Long.toHexString(value)}"
            }
        }
        val full = "array $label [${writes.joinToString()}]"
        var handle: SharedLongArray? = null
        val failures = LockFuzz.runOps(full, where, listOf(Op("open") { handle = SharedLongArray.open(Backing.file(path), capacity) }))
        val array = handle ?: return failures
        val opFailures = LockFuzz.runOps(full, where, ops(array))
        if (opFailures.none { it.endsWith("HUNG") }) array.close()
        return failures + opFailures
    }

    test("every sampled word of an array's locks and owner table, with each corrupt value: every array operation works, recovers or refuses, none hangs") {
        val failures = mutableListOf<String>()
        val blank = java.lang.foreign.MemorySegment.ofArray(LongArray(8192))
        for (word in words) {
            for (v in word.values(blank).indices) {
                failures += trial(paths.next("array"), "value #$v", listOf(word), LockFuzz.FixedPick(v))
            }
        }
        failures.joinToString("\n") shouldBe ""
    }

    test("40 seeded corruptions of 1 to 3 words of an array's locks at once: none hangs, every failure is a refusal naming the array") {
        val failures = mutableListOf<String>()
        for (seed in 1..40) {
            val random = Random(seed)
            val corruption = (0 until random.nextInt(1, 4)).map { words[random.nextInt(words.size)] }
                .sortedBy { if (it.name.startsWith("entry") || it.name.startsWith("owner")) 0 else 1 }
            failures += trial(paths.next("array"), "seed $seed", corruption, random)
        }
        failures.joinToString("\n") shouldBe ""
    }
})
