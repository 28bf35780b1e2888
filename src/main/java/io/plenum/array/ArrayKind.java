package io.plenum.array;

import io.plenum.segment.SegmentHeader;
import io.plenum.segment.SegmentKind;
import java.lang.foreign.MemorySegment;

/** What the segment layer needs to know about shared arrays: magic, version and {@link ArrayLayout}. */
final class ArrayKind implements SegmentKind {
    static final ArrayKind INSTANCE = new ArrayKind();

    static final int MAGIC = SegmentHeader.magic("PLAR");
    /** 2: the embedded rw-lock keeps a reader summary (SharedRwLock, readersSeen). */
    static final int VERSION = 2;

    @Override
    public String name() {
        return "array";
    }

    @Override
    public int magic() {
        return MAGIC;
    }

    @Override
    public int version() {
        return VERSION;
    }

    @Override
    public long bodySize(int variant, long capacity, int elementSize) {
        return ArrayLayout.of(type(variant), capacity, elementSize).bodySize();
    }

    @Override
    public void initialize(MemorySegment memory, SegmentHeader header) {
        ArrayLayout layout = ArrayLayout.of(type(header.variant()), header.capacity(), header.elementSize());
        layout.writeDescriptor(memory);
        ArrayLocks.initialize(memory, layout);
    }

    @Override
    public String variantName(int variant) {
        ElementType type = ElementType.ofVariant(variant);
        return type == null ? "unknown element type " + variant : type.name();
    }

    private ArrayKind() {
    }

    static ElementType type(int variant) {
        ElementType type = ElementType.ofVariant(variant);
        if (type == null) {
            throw new IllegalArgumentException("variant " + variant + " is no element type");
        }
        return type;
    }
}
