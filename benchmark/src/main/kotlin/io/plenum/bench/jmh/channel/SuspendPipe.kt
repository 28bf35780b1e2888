package io.plenum.bench.jmh.channel

import kotlinx.coroutines.runBlocking

/**
 * One peer of the suspending handoff of 8-byte messages (`channel.I64.spsc_suspend`), in one JVM:
 * [sendBatch] runs a producer coroutine on the calling (benchmark) thread, in `runBlocking`, that
 * sends the next numbers 1, 2, … suspending while the channel is full; a consumer coroutine, in
 * `runBlocking` on its own thread, receives until the channel is closed, suspending while it is
 * empty, and checks that every message is the next number. [finish] closes the channel, lets the
 * consumer drain it and fails if any message was lost, reordered or extra.
 *
 * A subclass gives the three verbs of its channel: [send], [receiveOrNull] and [closeForSend].
 */
abstract class SuspendPipe(private val column: String) {
    private var sent = 0L
    private var received = 0L
    private var faults = 0L
    private lateinit var consumer: Thread

    /** Sends [value], suspending while the channel is full. */
    protected abstract suspend fun send(value: Long)

    /** The next message, suspending while the channel is empty; null once it is closed and drained. */
    protected abstract suspend fun receiveOrNull(): Long?

    protected abstract fun closeForSend()

    /** Starts the consumer coroutine; call once, after the channel exists. */
    fun start() {
        consumer = Thread.ofPlatform().daemon().name("bench-consumer").start {
            runBlocking {
                while (true) {
                    val value = receiveOrNull() ?: break
                    if (value != received + 1) faults++
                    received++
                }
            }
        }
    }

    /** Sends the next [count] numbers from one producer coroutine on this thread. */
    fun sendBatch(count: Int) = runBlocking {
        repeat(count) { send(++sent) }
    }

    /** Closes for send, waits for the consumer to drain, and fails if the messages do not add up. */
    fun finish() {
        closeForSend()
        consumer.join(10_000)
        check(!consumer.isAlive) { "$column: the consumer did not receive all $sent messages sent within 10 s" }
        check(received == sent && faults == 0L) {
            "$column: $sent messages sent, $received received, $faults out of sequence"
        }
    }
}
