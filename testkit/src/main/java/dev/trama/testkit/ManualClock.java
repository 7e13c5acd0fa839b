package dev.trama.testkit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock that tests move by hand; what sleeps on it moves it instead of waiting. */
public final class ManualClock extends Clock {

    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

    public void advance(Duration by) {
        now = now.plus(by);
    }

    /** Sleeping on this clock: the time passes at once. Fits {@code dev.trama.concurrent.Sleeper}. */
    public void sleep(Duration duration) {
        advance(duration);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this;
    }

    @Override
    public Instant instant() {
        return now;
    }
}
