package io.plenum.channel

import io.plenum.codec.Codecs
import io.plenum.segment.OpenMode
import java.lang.foreign.ValueLayout

/** Test-only views of a channel's memory (see [ChannelLayout] and [SlotWord]). */
internal fun SharedChannel<*>.slotWord(slot: Int): Long =
    ring.memory.get(ValueLayout.JAVA_LONG, ChannelLayout.SLOTS_OFFSET + slot * ring.slotSize)

internal fun SharedChannel<*>.writeSlotWord(slot: Int, word: Long) =
    ring.memory.set(ValueLayout.JAVA_LONG, ChannelLayout.SLOTS_OFFSET + slot * ring.slotSize, word)

internal fun SharedChannel<*>.writeLong(offset: Long, value: Long) = ring.memory.set(ValueLayout.JAVA_LONG, offset, value)

internal fun SharedChannel<*>.writeInt(offset: Long, value: Int) = ring.memory.set(ValueLayout.JAVA_INT, offset, value)

/** An owner token no process holds: its entry index is past the table, so it reads as dead. */
internal const val DEAD_TOKEN: Int = (5 shl 12) or (ChannelLayout.OWNER_ENTRIES + 7)

internal fun writingWord(lap: Long, owner: Int): Long = SlotWord.of(lap, SlotWord.WRITING, owner)

/** Slots left WRITING when nothing is in flight: there must be none. */
internal fun SharedChannel<*>.writingSlots(): List<String> = (0 until capacity()).mapNotNull { slot ->
    val word = slotWord(slot)
    if (SlotWord.state(word) == SlotWord.WRITING) "slot $slot: ${SlotWord.describe(word)}" else null
}

internal fun openLongChannel(path: String): SharedChannel<Long> =
    SharedChannel.open(Codecs.LONG, ChannelOptions.of(path).withMode(OpenMode.OPEN_EXISTING))
