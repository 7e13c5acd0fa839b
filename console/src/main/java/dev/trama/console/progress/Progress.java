package dev.trama.console.progress;

import dev.trama.concurrent.Threads;
import java.io.PrintWriter;
import java.time.Duration;

/** A spinner with elapsed seconds on one line of a terminal, for as long as it is open. */
public final class Progress implements AutoCloseable {

    static final Duration QUIET = Duration.ofMillis(200);
    static final Duration TICK = Duration.ofMillis(100);
    public static final String CLEAR_LINE = "\r\033[2K";
    private static final String SPINNER = "|/-\\";

    private final PrintWriter out;
    private final String doing;
    private final Thread drawer;
    private final Object lock = new Object();
    private boolean drawn;
    private boolean closed;

    private Progress(PrintWriter out, String doing) {
        this.out = out;
        this.doing = doing;
        this.drawer = out == null ? null : Threads.named("trama-progress").newThread(this::draw);
    }

    /** Draws on {@code out}, which must be a terminal, until closed. */
    public static Progress start(PrintWriter out, String doing) {
        Progress progress = new Progress(out, doing);
        progress.drawer.start();
        return progress;
    }

    /** An indicator that shows nothing, for output that is not a terminal. */
    public static Progress none() {
        return new Progress(null, "");
    }

    /** The indicator's line after {@code elapsed}, at animation step {@code tick}. */
    static String line(String doing, Duration elapsed, int tick) {
        return CLEAR_LINE + SPINNER.charAt(Math.floorMod(tick, SPINNER.length())) + " " + doing + "... "
                + elapsed.toSeconds() + "s";
    }

    private void draw() {
        long start = System.nanoTime();
        try {
            Thread.sleep(QUIET.toMillis());
            for (int tick = 0; ; tick++) {
                synchronized (lock) {
                    if (closed) {
                        return;
                    }
                    out.print(line(doing, Duration.ofNanos(System.nanoTime() - start), tick));
                    out.flush();
                    drawn = true;
                }
                Thread.sleep(TICK.toMillis());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops drawing and erases the line, so that what follows starts on a clean line. */
    @Override
    public void close() {
        if (drawer == null) {
            return;
        }
        synchronized (lock) {
            closed = true;
            if (drawn) {
                out.print(CLEAR_LINE);
                out.flush();
            }
        }
        drawer.interrupt();
    }
}
