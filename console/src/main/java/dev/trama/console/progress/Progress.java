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
    private final Pacing pacing;
    private final Thread drawer;
    private final Object lock = new Object();
    private boolean drawn;
    private boolean closed;
    private String detail = "";

    private Progress(PrintWriter out, String doing, Pacing pacing) {
        this.out = out;
        this.doing = doing;
        this.pacing = pacing;
        this.drawer = out == null ? null : Threads.named("trama-progress").newThread(this::draw);
    }

    /** Draws on {@code out}, which must be a terminal, until closed. */
    public static Progress start(PrintWriter out, String doing) {
        return start(out, doing, Pacing.REAL);
    }

    static Progress start(PrintWriter out, String doing, Pacing pacing) {
        Progress progress = new Progress(out, doing, pacing);
        progress.drawer.start();
        return progress;
    }

    /** An indicator that shows nothing, for output that is not a terminal. */
    public static Progress none() {
        return new Progress(null, "", Pacing.REAL);
    }

    /** The indicator's line after {@code elapsed}, at animation step {@code tick}. */
    static String line(String doing, Duration elapsed, int tick) {
        return line(doing, "", elapsed, tick);
    }

    /** As {@link #line(String, Duration, int)}, with what the step is at now, e.g. a pull's progress. */
    static String line(String doing, String detail, Duration elapsed, int tick) {
        return CLEAR_LINE + SPINNER.charAt(Math.floorMod(tick, SPINNER.length())) + " " + doing + "... "
                + elapsed.toSeconds() + "s" + (detail.isEmpty() ? "" : " (" + detail + ")");
    }

    /** Whether a line is drawn at all: on a terminal, not for piped output. */
    public boolean shown() {
        return drawer != null;
    }

    /** What the step is at now, shown after the time from the next line on. */
    public void detail(String text) {
        synchronized (lock) {
            detail = text == null ? "" : text;
        }
    }

    private void draw() {
        long start = pacing.nanoTime();
        try {
            pacing.pause(QUIET);
            for (int tick = 0; ; tick++) {
                synchronized (lock) {
                    if (closed) {
                        return;
                    }
                    out.print(line(doing, detail, Duration.ofNanos(pacing.nanoTime() - start), tick));
                    out.flush();
                    drawn = true;
                }
                pacing.pause(TICK);
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

    /** Whether the drawing thread is still running; it ends soon after {@link #close}. */
    boolean drawing() {
        return drawer != null && drawer.isAlive();
    }

    /** How the drawer tells time and waits between lines: the system's clock, or one a test steps. */
    interface Pacing {

        Pacing REAL = new Pacing() {
            @Override
            public long nanoTime() {
                return System.nanoTime();
            }

            @Override
            public void pause(Duration duration) throws InterruptedException {
                Thread.sleep(duration.toMillis());
            }
        };

        long nanoTime();

        void pause(Duration duration) throws InterruptedException;
    }
}
