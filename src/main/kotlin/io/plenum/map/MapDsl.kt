@file:JvmName("MapDsl")

package io.plenum.map

import io.plenum.PlenumDsl
import io.plenum.codec.Codec
import io.plenum.codec.Codecs
import io.plenum.segment.Backing
import io.plenum.segment.OpenMode
import io.plenum.segment.SegmentSpec
import kotlinx.coroutines.flow.Flow
import kotlinx.coroutines.flow.flow
import kotlinx.coroutines.future.await
import kotlin.reflect.KClass

/** The settings of [SharedMap]'s factory block; the names are [MapOptions]'s. */
@PlenumDsl
class MapBuilder<K : Any, V : Any> @PublishedApi internal constructor(var backing: Backing) {
    var mode: OpenMode = OpenMode.CREATE_OR_OPEN
    /** Longest key in bytes; -1: the map's, or 64 KiB for a new one. */
    var maxKeySize: Int = -1
    /** Longest value in bytes; -1: the map's, or 1 MiB for a new one. */
    var maxValueSize: Int = -1
    /** Entries to make room for at creation (a hint: the map grows by itself). */
    var initialCapacity: Int = 0
    /** Lock stripes (a power of two); -1: the map's, or 64. */
    var stripes: Int = -1
    var fileMode: Int = SegmentSpec.DEFAULT_FILE_MODE
    /** The key codec; by default chosen from the key type (String, Long, Int, Double, ByteArray). */
    var keyCodec: Codec<K>? = null
    /** The value codec; by default chosen from the value type. */
    var valueCodec: Codec<V>? = null

    @PublishedApi
    internal fun options(): MapOptions = MapOptions(backing, mode, maxKeySize, maxValueSize, initialCapacity, stripes, fileMode)
}

/**
 * Opens or creates the map at [path] (a file; `/dev/shm/NAME` for POSIX shared memory):
 * ```
 * SharedMap<String, String>("/dev/shm/config") { maxValueSize = 4096 }.use { config ->
 *     config["mode"] = "fast"
 *     if ("mode" in config) println(config["mode"])
 * }
 * ```
 */
inline fun <reified K : Any, reified V : Any> SharedMap(path: String, configure: MapBuilder<K, V>.() -> Unit = {}): SharedMap<K, V> =
    SharedMap(Backing.file(path), configure)

/** Opens or creates a map on any [backing]: `SharedMap<Long, Long>(Backing.memfd("ids"))`. */
inline fun <reified K : Any, reified V : Any> SharedMap(backing: Backing, configure: MapBuilder<K, V>.() -> Unit = {}): SharedMap<K, V> {
    val builder = MapBuilder<K, V>(backing).apply(configure)
    return SharedMap.open(builder.keyCodec ?: defaultCodec(K::class), builder.valueCodec ?: defaultCodec(V::class), builder.options())
}

@PublishedApi
@Suppress("UNCHECKED_CAST")
internal fun <T : Any> defaultCodec(type: KClass<T>): Codec<T> = when (type) {
    String::class -> Codecs.STRING
    Long::class -> Codecs.LONG
    Int::class -> Codecs.INT
    Double::class -> Codecs.DOUBLE
    ByteArray::class -> Codecs.BYTES
    else -> throw IllegalArgumentException("no default codec for ${type.qualifiedName}: set keyCodec / valueCodec")
} as Codec<T>

/**
 * Suspends until the value of [key] differs from [current] (null: absent) and returns it (null:
 * removed); returns at once if it differs already. No thread is blocked meanwhile: the JVM's
 * reactor watches the key's stripe.
 *
 * Prompt cancellation guarantee: cancelling the coroutine withdraws the wait at once; nothing is
 * left registered.
 */
suspend fun <K : Any, V : Any> SharedMap<K, V>.awaitChange(key: K, current: V?): V? =
    waitForChangeAsync(key, current).await()

/** The thread-blocking form of [awaitChange]. */
fun <K : Any, V : Any> SharedMap<K, V>.awaitChangeBlocking(key: K, current: V?): V? = waitForChange(key, current)

/**
 * The value of [key] now, then every value it takes (null: absent), from any process. Conflated:
 * a collector that falls behind sees the latest value, not every intermediate one. Completes when
 * this handle is closed.
 */
fun <K : Any, V : Any> SharedMap<K, V>.changes(key: K): Flow<V?> = flow {
    if (isClosed) return@flow
    var current = this@changes[key]
    emit(current)
    while (true) {
        current = try {
            awaitChange(key, current)
        } catch (closed: IllegalStateException) {
            if (isClosed) return@flow else throw closed
        }
        emit(current)
    }
}
