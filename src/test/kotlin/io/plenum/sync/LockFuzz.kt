package io.plenum.sync

import io.plenum.linux.Processes
import io.plenum.segment.SegmentException
import java.lang.foreign.MemorySegment
import java.lang.foreign.ValueLayout
import java.util.concurrent.Executors
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException
import kotlin.random.Random

/**
 * Fuzzing of the words of locks and owner tables in a segment whose header is valid: random values
 * are written into chosen words, then every operation runs under a deadlock guard. Each operation
 * must work, recover, or throw a Plenum exception naming the segment; none may hang or throw
 * anything else.
 *
 * The values never make a holder look alive: pids written into owner entries are never a running
 * process's (0, negative, above the kernel's pid limit, or a reaped child's), and namespaces are 0
 * or this one's. A live-looking holder may legitimately be waited for without end (it could release);
 * the point here is states that no live process can ever change.
 */
internal object LockFuzz {
    /** A word that can be corrupted: 4 bytes, or 8 when [wide]. [values] gives the candidates, reading the memory if needed. */
    class Word(val name: String, val offset: Long, val wide: Boolean, val values: (MemorySegment) -> List<Long>)

    /** One operation of a structure under test; a name, for reports. */
    class Op(val name: String, val run: () -> Unit)

    /** A pid that ran once and has been reaped: dead for as long as the pid is not reused. */
    val deadPid: Int by lazy {
        val child = ProcessBuilder("true").start()
        child.waitFor()
        child.pid().toInt()
    }

    /** Pids no live process has here. */
    val deadPids: List<Long> get() = listOf(0L, -1L, Int.MIN_VALUE.toLong(), Int.MAX_VALUE.toLong(), 4_194_305L, deadPid.toLong())

    /** The token this process takes in a fresh table: entry 0, generation 1. */
    val firstToken: Long = OwnerTable.token(0, 1).toLong()

    val wordValues: List<Long> = listOf(1L, 2L, 3L, -1L, Int.MIN_VALUE.toLong(), Int.MAX_VALUE.toLong(), 0x12345678L, 0xFFFL)

    private val guard = Executors.newCachedThreadPool { runnable ->
        Thread(runnable, "fuzz-op").apply { isDaemon = true }
    }

    /** The words of an owner table of [entries] entries at [table]; [sample] picks which entries. */
    fun ownerTableWords(table: Long, entries: Int, sample: List<Int> = (0 until entries).toList()): List<Word> {
        val words = mutableListOf(
            Word("owner table magic", table + OwnerTable.MAGIC_OFFSET, false) { listOf(0L, 1L, -1L) },
            Word("owner table entries", table + OwnerTable.ENTRIES_OFFSET, false) { listOf(0L, -1L, entries + 1L, 5000L) },
            Word("owner table reserved", table + 8, true) { listOf(-1L, 0x5555L) },
        )
        for (i in sample) {
            val entry = table + OwnerTable.HEADER_SIZE + OwnerTable.ENTRY_SIZE * i
            words += Word("entry $i pid", entry + OwnerTable.PID_OFFSET, false) { deadPids }
            words += Word("entry $i generation", entry + OwnerTable.GENERATION_OFFSET, false) {
                listOf(1L, -1L, OwnerTable.GENERATION_MASK.toLong(), 0x7F00_0000L)
            }
            words += Word("entry $i startTime", entry + OwnerTable.START_TIME_OFFSET, true) { listOf(-1L, 1L, Long.MAX_VALUE) }
            words += Word("entry $i pidNamespace", entry + OwnerTable.PID_NAMESPACE_OFFSET, true) {
                listOf(0L, Processes.currentPidNamespace())
            }
            words += Word("entry $i committed", entry + OwnerTable.COMMITTED_OFFSET, false) { memory ->
                listOf(memory.get(ValueLayout.JAVA_INT, entry + OwnerTable.GENERATION_OFFSET).toLong(), -1L, 7L)
            }
            words += Word("entry $i reserved", entry + 28, false) { listOf(-1L) }
        }
        return words
    }

    /**
     * Values for a word that holds an owner token: constants, and the token each entry of the table
     * at [table] records now (its pid is never a live one, see the class comment). Never the token
     * this process will take: a claim always moves an entry to its next generation.
     */
    fun tokenValues(table: Long, entries: Int): (MemorySegment) -> List<Long> = { memory ->
        wordValues + (0 until minOf(entries, 3)).map { i ->
            val generation = memory.get(ValueLayout.JAVA_INT, table + OwnerTable.HEADER_SIZE + OwnerTable.ENTRY_SIZE * i + OwnerTable.GENERATION_OFFSET)
            OwnerTable.token(i, generation).toLong() and 0xFFFF_FFFFL
        }
    }

    /** The four words of an [OwnedWord] at [offset]. */
    fun ownedWordWords(what: String, offset: Long, tokens: (MemorySegment) -> List<Long>): List<Word> = listOf(
        Word("$what owner", offset + OwnedWord.OWNER_OFFSET, false, tokens),
        Word("$what waiters", offset + OwnedWord.WAITERS_OFFSET, false) { wordValues },
        Word("$what holderThread", offset + OwnedWord.THREAD_OFFSET, false) { wordValues },
        Word("$what recoveries", offset + OwnedWord.RECOVERIES_OFFSET, false) { wordValues },
    )

    fun write(memory: MemorySegment, word: Word, value: Long) {
        if (word.wide) memory.set(ValueLayout.JAVA_LONG, word.offset, value)
        else memory.set(ValueLayout.JAVA_INT, word.offset, value.toInt())
    }

    /**
     * Runs [ops] one after the other, each under a guard of [guardSeconds]; returns a line per
     * operation that hung or threw something that is not a Plenum exception naming [where]. After a
     * hang the remaining operations are skipped (the hung thread may hold what they need).
     */
    fun runOps(label: String, where: String, ops: List<Op>, guardSeconds: Long = 20): List<String> {
        val failures = mutableListOf<String>()
        for (op in ops) {
            val future = guard.submit(op.run)
            try {
                future.get(guardSeconds, TimeUnit.SECONDS)
            } catch (e: TimeoutException) {
                failures += "$label: ${op.name} HUNG"
                return failures
            } catch (e: java.util.concurrent.ExecutionException) {
                val error = e.cause!!
                if (!acceptable(error, where)) {
                    failures += "$label: ${op.name} threw $error"
                }
            }
        }
        return failures
    }

    /** A refusal the caller can act on: a Plenum exception whose message names the segment. */
    private fun acceptable(error: Throwable, where: String): Boolean {
        val plenum = error is OwnerDiedException || error is ForeignOwnerException || error is SegmentException
        return plenum && (error.message ?: "").contains(where)
    }

    /** [count] random corruptions of 1 to 3 words of [words], each with one of its candidate values. */
    fun randomCorruptions(random: Random, words: List<Word>, count: Int): List<List<Word>> =
        (0 until count).map { (0 until random.nextInt(1, 4)).map { words[random.nextInt(words.size)] } }

    /** A "random" source that always picks candidate [index]: one trial per value of a word. */
    class FixedPick(private val index: Int) : Random() {
        override fun nextBits(bitCount: Int): Int = index
        override fun nextInt(until: Int): Int = index % until
    }
}
