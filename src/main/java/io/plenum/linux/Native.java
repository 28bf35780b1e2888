package io.plenum.linux;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;

/**
 * Linker plumbing shared by the call classes of this package: downcall handles that capture errno,
 * the architecture's syscall numbers, and per-thread scratch memory so that no call on a blocking
 * path allocates.
 */
final class Native {
    static final Linker LINKER = Linker.nativeLinker();
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    static final MemoryLayout POINTER = ValueLayout.ADDRESS;

    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");

    /** Syscall numbers, which differ between x86_64 and aarch64 for the older calls. */
    static final long SYS_FUTEX;
    static final long SYS_FUTEX_WAITV = 449;
    static final long SYS_PIDFD_OPEN = 434;
    static final long SYS_PIDFD_GETFD = 438;

    static {
        // Before any downcall handle exists: a clear failure instead of the JDK's warning, or its
        // IllegalCallerException under --illegal-native-access=deny, from some later class.
        NativeAccess.require();
        if (!System.getProperty("os.name", "").startsWith("Linux")) {
            throw new UnsupportedOperationException(
                    "Plenum needs Linux; this is " + System.getProperty("os.name"));
        }
        String arch = System.getProperty("os.arch", "");
        SYS_FUTEX = switch (arch) {
            case "amd64", "x86_64" -> 202;
            case "aarch64" -> 98;
            default -> throw new UnsupportedOperationException(
                    "Plenum supports Linux on x86_64 and aarch64; this is " + arch);
        };
    }

    static final boolean X86_64 = "amd64".equals(System.getProperty("os.arch"))
            || "x86_64".equals(System.getProperty("os.arch"));

    private Native() {
    }

    /** A downcall to a libc function whose first parameter is the errno capture segment. */
    static MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment address = LINKER.defaultLookup().find(name)
                .orElseThrow(() -> new UnsupportedOperationException("libc has no " + name));
        Linker.Option[] all = new Linker.Option[options.length + 1];
        all[0] = CAPTURE_ERRNO;
        System.arraycopy(options, 0, all, 1, options.length);
        return LINKER.downcallHandle(address, descriptor, all);
    }

    /** {@code long syscall(long number, long a1, …, long aN)} with errno capture. */
    static MethodHandle syscall(int arguments) {
        MemoryLayout[] parameters = new MemoryLayout[arguments + 1];
        java.util.Arrays.fill(parameters, LONG);
        return function("syscall", FunctionDescriptor.of(LONG, parameters),
                Linker.Option.firstVariadicArg(1));
    }

    static int errno(MemorySegment capture) {
        return (int) ERRNO.get(capture, 0L);
    }

    static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    /** Per-thread native scratch memory: the errno capture, a timespec and a 64-bit word. */
    static final class Scratch {
        final MemorySegment capture;
        final MemorySegment timespec;
        final MemorySegment word;

        private Scratch() {
            Arena arena = Arena.ofAuto();
            capture = arena.allocate(CAPTURE);
            timespec = arena.allocate(16, 8);
            word = arena.allocate(8, 8);
        }

        /** Fills the timespec with a duration or absolute time given in nanoseconds. */
        MemorySegment timespec(long nanos) {
            timespec.set(LONG, 0, nanos / 1_000_000_000L);
            timespec.set(LONG, 8, nanos % 1_000_000_000L);
            return timespec;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    static Scratch scratch() {
        return SCRATCH.get();
    }

    /** A fresh errno capture for calls off the hot path. */
    static MemorySegment capture(Arena arena) {
        return arena.allocate(CAPTURE);
    }
}
