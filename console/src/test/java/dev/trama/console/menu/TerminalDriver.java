package dev.trama.console.menu;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;
import org.jline.terminal.Size;
import org.jline.terminal.impl.LineDisciplineTerminal;

/**
 * The menu on an xterm-like terminal in memory, typed into one key sequence at a time after waiting
 * for what the menu prints, as a person would: Ctrl-C raises SIGINT through the line discipline.
 */
final class TerminalDriver implements AutoCloseable {

    private static final Duration PATIENCE = Duration.ofSeconds(10);

    private final ByteArrayOutputStream screen = new ByteArrayOutputStream();
    private final LineDisciplineTerminal terminal;
    private CompletableFuture<Integer> exit;
    private int seen;

    TerminalDriver() {
        try {
            OutputStream synchronizedScreen = new OutputStream() {
                @Override
                public void write(int b) {
                    synchronized (screen) {
                        screen.write(b);
                    }
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    synchronized (screen) {
                        screen.write(b, off, len);
                    }
                }
            };
            terminal = new LineDisciplineTerminal("test", "xterm", synchronizedScreen, StandardCharsets.UTF_8);
            terminal.setSize(new Size(100, 40));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    TerminalDriver start(Daemon daemon) {
        exit = CompletableFuture.supplyAsync(() -> InteractiveConsole.run(terminal, daemon, false));
        return this;
    }

    /** Waits until the menu has printed {@code text} since the last thing waited for. */
    TerminalDriver await(String text) {
        boolean printed;
        try {
            printed = Awaitility.await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10))
                    .pollInSameThread().until(() -> printedOrEnded(text), Objects::nonNull);
        } catch (ConditionTimeoutException e) {
            printed = false;
        }
        if (!printed) {
            throw new AssertionError("the menu did not print '" + text + "'; it printed:\n" + output().substring(seen));
        }
        return this;
    }

    /** True once {@code text} is printed, false if the menu ended without printing it, null meanwhile. */
    private Boolean printedOrEnded(String text) {
        boolean ended = exit.isDone();
        if (consumed(text)) {
            return true;
        }
        return ended ? false : null;
    }

    /** Whether {@code text} is in what was printed since the last thing waited for; if so, it is seen. */
    private boolean consumed(String text) {
        String fresh = output().substring(seen);
        int at = fresh.indexOf(text);
        if (at < 0) {
            return false;
        }
        seen += at + text.length();
        return true;
    }

    TerminalDriver type(String keys) {
        try {
            terminal.processInputBytes(keys.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    String output() {
        synchronized (screen) {
            return screen.toString(StandardCharsets.UTF_8);
        }
    }

    int exitCode() {
        return exit.orTimeout(PATIENCE.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    @Override
    public void close() throws IOException {
        terminal.close();
    }
}
