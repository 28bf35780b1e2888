package io.plenum.pool;

import io.plenum.segment.Segment;
import io.plenum.segment.SegmentSpec;
import java.util.function.Function;

/** Opens pools of one variant: the typed pools' {@code open(PoolOptions)} delegate here. */
final class PoolOpener<P extends SlotPool> {
    private final PoolVariant variant;
    private final Function<Segment, P> wrap;

    PoolOpener(PoolVariant variant, Function<Segment, P> wrap) {
        this.variant = variant;
        this.wrap = wrap;
    }

    /** The variant this opener opens. */
    PoolVariant variant() {
        return variant;
    }

    /**
     * Opens or creates the pool {@code options} describe. Bad options throw
     * {@link IllegalArgumentException} naming the field, before anything is created.
     */
    P open(PoolOptions options) {
        if (options == null) {
            throw new IllegalArgumentException("options are required: PoolOptions.of(path)");
        }
        int capacity = options.capacity();
        if (capacity != -1) {
            PoolLayout.checkCapacity(capacity);
        }
        SegmentSpec spec = new SegmentSpec(PoolLayout.KIND, variant.code(), capacity, elementSize(options),
                options.fileMode());
        return Segment.openAs(options.backing(), options.mode(), spec, wrap);
    }

    private int elementSize(PoolOptions options) {
        int elementSize = options.elementSize();
        int maxLength = options.maxLength();
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
