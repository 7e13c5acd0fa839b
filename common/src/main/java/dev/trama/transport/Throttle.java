package dev.trama.transport;

import java.util.concurrent.TimeUnit;

/**
 * Lets a repeated log line through at most once per interval, so that a hostile peer cannot flood the log;
 * the line that passes tells how many were held back.
 */
final class Throttle {

    private static final long INTERVAL = TimeUnit.SECONDS.toNanos(10);

    private long next = Long.MIN_VALUE;
    private int held;

    /** The number of lines held back since the last one that passed, or -1 to hold this one back too. */
    synchronized int pass() {
        long now = System.nanoTime();
        if (next != Long.MIN_VALUE && now - next < 0) {
            held++;
            return -1;
        }
        next = now + INTERVAL;
        int passed = held;
        held = 0;
        return passed;
    }

    /** A suffix for the line that passed. */
    static String more(int held) {
        return held == 0 ? "" : " (and " + held + " more like it)";
    }
}
