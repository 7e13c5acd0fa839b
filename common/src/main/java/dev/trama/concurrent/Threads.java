package dev.trama.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The one way Trama makes threads: named after their job, and daemon threads, so that a process ends when
 * its main work does and a thread dump says who is who.
 */
public final class Threads {

    private Threads() {
    }

    /** Threads all named {@code name}: for an executor of one thread. */
    public static ThreadFactory named(String name) {
        return runnable -> daemon(name, runnable);
    }

    /** Threads named {@code name-0}, {@code name-1}, ...: for a pool. */
    public static ThreadFactory numbered(String name) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> daemon(name + "-" + counter.getAndIncrement(), runnable);
    }

    /** Starts {@code work} on a new daemon thread of that name. */
    public static Thread start(String name, Runnable work) {
        Thread thread = daemon(name, work);
        thread.start();
        return thread;
    }

    private static Thread daemon(String name, Runnable runnable) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }
}
