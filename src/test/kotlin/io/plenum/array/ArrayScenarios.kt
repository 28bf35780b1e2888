package io.plenum.array

import io.plenum.sync.EventNotifier
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.testing.Scenario
import java.nio.file.Path
import java.util.concurrent.ThreadLocalRandom
import java.util.concurrent.atomic.AtomicBoolean

/** Child-JVM scenarios for [ArrayCrossProcessSpec]. Each waits for "go" on stdin after "ready". */

private fun existing(path: Path) = ArrayOptions.of(Backing.file(path)).withMode(OpenMode.OPEN_EXISTING)

private fun awaitGo() {
    println("ready")
    check(readlnOrNull() == "go") { "expected go" }
}

/** Elements per array in the increment scenario: several share one 32-bit word for 8/16-bit types. */
const val INCREMENT_ELEMENTS = 4

/**
 * args: directory, rounds. Adds 1 to every element of the arrays `<directory>/<TYPE>` of every
 * integer type, [INCREMENT_ELEMENTS] elements, `rounds` times, and 1.0 to the F32 and F64 arrays.
 */
object IncrementEverything : Scenario {
    override fun run(args: List<String>) {
        val directory = Path.of(args[0])
        val rounds = args[1].toInt()
        val arrays = IntegerCase.all.map { it to it.open(existing(directory.resolve(it.type.name))) }
        val floats = SharedFloatArray.open(existing(directory.resolve("F32")))
        val doubles = SharedDoubleArray.open(existing(directory.resolve("F64")))
        awaitGo()
        for ((case, array) in arrays) {
            // Direct calls, not reflection: the atomics under test at full speed.
            when (array) {
                is SharedByteArray -> repeat(rounds) { for (i in 0 until INCREMENT_ELEMENTS) array.incrementAndGet(i) }
                is SharedUnsignedByteArray -> repeat(rounds) { for (i in 0 until INCREMENT_ELEMENTS) array.incrementAndGet(i) }
                is SharedShortArray -> repeat(rounds) { for (i in 0 until INCREMENT_ELEMENTS) array.incrementAndGet(i) }
                is SharedUnsignedShortArray -> repeat(rounds) { for (i in 0 until INCREMENT_ELEMENTS) array.incrementAndGet(i) }
                is SharedIntArray -> repeat(rounds) { for (i in 0 until INCREMENT_ELEMENTS) array.incrementAndGet(i) }
                is SharedUnsignedIntArray -> repeat(rounds) { for (i in 0 until INCREMENT_ELEMENTS) array.incrementAndGet(i) }
                is SharedLongArray -> repeat(rounds) { for (i in 0 until INCREMENT_ELEMENTS) array.incrementAndGet(i) }
                else -> error("no increment for $case")
            }
            array.close()
        }
        repeat(rounds) {
            for (i in 0 until INCREMENT_ELEMENTS) {
                floats.addAndGet(i, 1f)
                doubles.addAndGet(i, 1.0)
            }
        }
        println("done")
    }
}

/** The bits a writer stores in an F64 element: both halves equal, never a NaN. */
fun selfCheckingBits(k: Int): Long {
    val half = (k and 0x3FFFFFFF).toLong()
    return (half shl 32) or half
}

/**
 * args: f64 path, strings path, numbers path, seconds. Until "stop" on stdin (or the time is up):
 * sets F64 elements to [selfCheckingBits] values, string elements to [ArrayLockingSpec.sample]s,
 * and fills the whole numbers array with one value per bulk write.
 */
object TornValueWriter : Scenario {
    override fun run(args: List<String>) {
        val doubles = SharedDoubleArray.open(existing(Path.of(args[0])))
        val strings = SharedStringArray.open(existing(Path.of(args[1])))
        val numbers = SharedLongArray.open(existing(Path.of(args[2])))
        val deadline = System.nanoTime() + args[3].toLong() * 1_000_000_000
        awaitGo()
        val stop = AtomicBoolean()
        Thread.ofPlatform().daemon().start {
            while (true) {
                val line = readlnOrNull()
                if (line == null || line == "stop") break
            }
            stop.set(true)
        }
        val random = ThreadLocalRandom.current()
        var k = 0L
        while (!stop.get() && System.nanoTime() < deadline) {
            val value = random.nextInt()
            doubles.setRelease(value and (doubles.capacity() - 1), java.lang.Double.longBitsToDouble(selfCheckingBits(value)))
            if (k % 8 == 0L) strings.set((k % strings.capacity()).toInt(), ArrayLockingSpec.sample(k))
            if (k % 64 == 0L) numbers.fill(k)
            k++
        }
        println("done $k")
    }
}

/**
 * args: path, mode. Takes the write lock of the I64 array at path; mode "half" also writes half of
 * it (a bulk write cut short). Prints "locked" and waits to be killed.
 */
object DieHoldingWriteLock : Scenario {
    override fun run(args: List<String>) {
        val array = SharedLongArray.open(existing(Path.of(args[0])))
        array.writeLock()
        if (args[1] == "half") array.fill(0, array.capacity() / 2, 99)
        println("locked")
        Thread.sleep(120_000)
    }
}

/** args: path, parent pid, eventfd. Attaches the parent's eventfd, fills the I64 array with 7 and notifies. */
object FillAndNotify : Scenario {
    override fun run(args: List<String>) {
        SharedLongArray.open(existing(Path.of(args[0]))).use { array ->
            array.useEventfd(EventNotifier.fromProcess(args[1].toLong(), args[2].toInt()))
            awaitGo()
            array.fill(7)
            array.signalEventfd()
            println("notified")
        }
    }
}
