package dev.trama.concurrent;

import java.time.Duration;

/** Waiting a while, as a seam: production sleeps, tests move a clock instead. */
@FunctionalInterface
public interface Sleeper {

    Sleeper SYSTEM = duration -> Thread.sleep(duration.toMillis());

    void sleep(Duration duration) throws InterruptedException;
}
