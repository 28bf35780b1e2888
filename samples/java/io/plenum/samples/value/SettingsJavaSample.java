package io.plenum.samples.value;

import io.plenum.codec.Codec;
import io.plenum.codec.CodecException;
import io.plenum.segment.Backing;
import io.plenum.value.SharedValue;
import io.plenum.value.ValueLock;
import io.plenum.value.ValueOptions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A shared value from Java with a codec of its own: {@link Codec#of} takes an encoder and a decoder,
 * which is all a Jackson {@code ObjectMapper} or a protobuf-java message needs too
 * ({@code Codec.of("order", Order::toByteArray, Order::parseFrom)}). Here a tiny text format.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED -cp … io.plenum.samples.value.SettingsJavaSample
 * </pre>
 */
public final class SettingsJavaSample {
    /** The settings every thread (or process) of the service shares. */
    record Settings(String mode, int limit) {
    }

    static final Codec<Settings> SETTINGS = Codec.of("settings",
            settings -> (settings.mode() + ";" + settings.limit()).getBytes(StandardCharsets.UTF_8),
            bytes -> {
                String[] parts = new String(bytes, StandardCharsets.UTF_8).split(";");
                if (parts.length != 2) {
                    throw new CodecException("settings: expected mode;limit");
                }
                return new Settings(parts[0], Integer.parseInt(parts[1]));
            });

    public static void main(String[] args) throws Exception {
        try (SharedValue<Settings> settings = SharedValue.open(SETTINGS, ValueOptions.of(Backing.memfd("settings")))) {
            System.out.println("before the first write: " + settings.get() + ", version " + settings.version());
            settings.set(new Settings("normal", 10));

            // A watcher thread blocks until the settings change, then reads them.
            Thread watcher = Thread.ofPlatform().start(() -> {
                try {
                    long version = settings.waitForChange(1);
                    System.out.println("watcher: version " + version + " is " + settings.get());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            settings.update(old -> new Settings("busy", old.limit() * 2));
            watcher.join();

            boolean stale = settings.compareAndSet(1, new Settings("stale", 0));
            System.out.println("compareAndSet on version 1: " + stale);
            try (ValueLock<Settings> batch = settings.lock()) {
                Settings now = batch.get();
                batch.set(new Settings(now.mode(), now.limit() + 1));
            }
            System.out.println("now: " + settings.get() + ", version " + settings.version());
            System.out.println("changed within 10 ms: " + settings.waitForChange(settings.version(), Duration.ofMillis(10)));
            System.out.println(settings.stats());
        }
    }
}
