package io.plenum.bench.xp;

/**
 * How one side of a {@link PingPongScenario} waits for its inbox word to change and changes
 * the other side's: the mode under test (spin, futex sleep, coroutine suspension…). Offsets are
 * those of {@link PingPong}'s wait words in the ping-pong segment the handoff was made for.
 */
public interface Handoff {

    /**
     * Stores {@code value} in the word at {@code offset} (the other side's inbox) and wakes
     * whoever waits on it, as this mode's wakers do.
     */
    void signal(long offset, int value);

    /**
     * Runs this side until it stops: {@link PingPong.Side#start()}, then, each time the inbox
     * word leaves {@link PingPong.Side#expected()}, {@link PingPong.Side#received()}, until that
     * returns false. Both calls must run on the thread (or coroutine) that waited.
     */
    void run(PingPong.Side side) throws Exception;

    /** A handoff whose waits block (or spin on) the calling thread: the loop is always the same. */
    interface Blocking extends Handoff {

        /** Returns once the word at {@code offset} no longer holds {@code expected}. */
        void await(long offset, int expected) throws InterruptedException;

        @Override
        default void run(PingPong.Side side) throws InterruptedException {
            side.start();
            do {
                await(side.inbox(), side.expected());
            } while (side.received());
        }
    }
}
