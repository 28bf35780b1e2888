package io.plenum.bench.jmh.access;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;

/** Defines one hidden copy of {@link HiddenCells} per mapping (approach (c)). */
final class HiddenCellsFactory {

    /** The template's class file, read as a resource so that the template is never initialised. */
    private static final byte[] TEMPLATE = read();

    private HiddenCellsFactory() {
    }

    private static byte[] read() {
        try (InputStream in = HiddenCellsFactory.class.getResourceAsStream("HiddenCells.class")) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new hidden class over {@code segment}: its static finals hold the segment and length. */
    static LongCells define(MemorySegment segment, int length) {
        try {
            MethodHandles.Lookup hidden = MethodHandles.lookup()
                    .defineHiddenClassWithClassData(TEMPLATE, List.of(segment, length), true);
            return (LongCells) hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class)).invoke();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException("cannot define a hidden class over the mapping", e);
        }
    }
}
