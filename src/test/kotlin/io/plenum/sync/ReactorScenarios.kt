package io.plenum.sync

import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.testing.Scenario
import io.plenum.testing.TestCounters

/**
 * args: word index, then segment paths. Bumps that wait word (a TestCounters counter) of every
 * segment through [Waiting.add], which wakes its recorded waiters; prints WOKEN.
 */
object BumpWords : Scenario {
    override fun run(args: List<String>) {
        val word = args[0].toInt()
        val segments = args.drop(1).map { TestCounters.open(Backing.file(it), OpenMode.OPEN_EXISTING, capacity = 10) }
        for (segment in segments) {
            Waiting.add(segment.memory(), segment.header().bodyOffset() + 8L * word, 1)
        }
        println("WOKEN")
        segments.forEach { it.close() }
    }
}

/** Creates an eventfd, prints "FD pid fd", then signals it once per line read from stdin ("SIGNAL n"). */
object EventFdOwner : Scenario {
    override fun run(args: List<String>) {
        EventNotifier.create().use { notifier ->
            println("FD ${ProcessHandle.current().pid()} ${notifier.fd()}")
            while (true) {
                val line = readlnOrNull() ?: break
                if (line.startsWith("SIGNAL ")) {
                    notifier.signal(line.removePrefix("SIGNAL ").toLong())
                    println("SIGNALLED")
                }
            }
        }
    }
}
