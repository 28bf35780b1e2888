package io.plenum.samples;

import io.plenum.array.ArrayOptions;
import io.plenum.sync.LockOptions;
import io.plenum.array.SharedLongArray;
import io.plenum.segment.Backing;
import io.plenum.sync.LockResult;
import io.plenum.sync.SharedMutex;
import java.time.Duration;
import java.util.Arrays;

/** The README's first taste in Java, kept compiling and running by {@code FirstTasteSpec}. */
public final class FirstTasteJava {
    private FirstTasteJava() {
    }

    public static void main(String[] args) throws Exception {
        String name = "plenum-taste-java-" + ProcessHandle.current().pid();
        try (SharedLongArray metrics = SharedLongArray.open(ArrayOptions.of(Backing.shm(name)).withCapacity(1024))) {
            metrics.incrementAndGet(0);
            metrics.set(1, 42);
            System.out.println(Arrays.toString(metrics.slice(0, 4)));
            metrics.unlink();
        }
        try (SharedMutex mutex = SharedMutex.open(LockOptions.of("/dev/shm/" + name + ".lock"))) {
            LockResult result = mutex.tryLock(Duration.ofSeconds(1));
            if (result.acquired()) {
                try {
                    System.out.println("locked; a dead holder was recovered: " + result.recovered());
                } finally {
                    mutex.unlock();
                }
            }
            java.nio.file.Files.delete(java.nio.file.Path.of("/dev/shm/" + name + ".lock"));
        }
    }
}
