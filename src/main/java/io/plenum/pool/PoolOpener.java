package io.plenum.pool;

import io.plenum.segment.Segment;
import io.plenum.segment.SegmentSpec;
import java.util.function.Function;

/**
 * Opens pools of one variant. Each typed pool has one in a static field named {@code open}, so
 * that Kotlin can write {@code SharedLongPool.open("/dev/shm/jobs") { capacity = 1024 }} (the
 * Kotlin layer adds the {@code invoke} operator). Java callers use the typed pools' static
 * {@code open} methods instead.
 */
public final class PoolOpener<P extends SlotPool> {
    private final PoolVariant variant;
    private final Function<Segment, P> wrap;

    PoolOpener(PoolVariant variant, Function<Segment, P> wrap) {
        this.variant = variant;
        this.wrap = wrap;
    }

    /** The variant this opener opens. */
    public PoolVariant variant() {
        return variant;
    }

    /**
     * Opens or creates the pool {@code options} describe. Bad options throw
     * {@link IllegalArgumentException} naming the field, before anything is created.
     */
    P open(PoolOptions options) {
        if (options == null || options.getBacking() == null) {
            throw new IllegalArgumentException("a pool needs a backing (path, shm name, memfd, fd or anonymous)");
        }
        long capacity = options.getCapacity();
        if (capacity != -1) {
            PoolLayout.checkCapacity(capacity);
        }
        SegmentSpec spec = new SegmentSpec(PoolLayout.KIND, variant.code(), capacity, elementSize(options),
                options.getFileMode());
        return Segment.openAs(options.getBacking(), options.getMode(), spec, wrap);
    }

    private int elementSize(PoolOptions options) {
        int elementSize = options.getElementSize();
        int maxLength = options.getMaxLength();
        if (variant != PoolVariant.STRING && maxLength != -1) {
            throw new IllegalArgumentException("maxLength: only a string pool has one (this is " + variant.label() + ")");
        }
        if (variant != PoolVariant.BYTES && elementSize != -1) {
            throw new IllegalArgumentException("elementSize: only a byte pool takes one; a " + variant.label()
                    + " pool's is fixed" + (variant == PoolVariant.STRING ? " by maxLength" : ""));
        }
        return switch (variant) {
            case BYTES -> {
                if (elementSize != -1) {
                    PoolLayout.checkElementSize(variant, elementSize);
                }
                yield elementSize;
            }
            case STRING -> {
                if (maxLength == -1) {
                    yield -1;
                }
                if (maxLength < 1 || maxLength > PoolLayout.MAX_STRING_LENGTH) {
                    throw new IllegalArgumentException("maxLength: " + maxLength + " bytes, must be 1.."
                            + PoolLayout.MAX_STRING_LENGTH);
                }
                yield (int) PoolLayout.STRING_BYTES_OFFSET + maxLength;
            }
            default -> variant.fixedElementSize();
        };
    }
}
