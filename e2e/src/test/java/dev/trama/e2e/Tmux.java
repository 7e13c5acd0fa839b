package dev.trama.e2e;

import dev.trama.testkit.Shell;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A program on a real pseudo-terminal: a tmux session on a tmux server of its own (its own socket, no
 * configuration file), typed into with send-keys and read with capture-pane. The pane stays after the
 * program exits so that its last screen can be read. {@link #close()} kills that server, and with it
 * the session and the program; so does the JVM's exit if the test never got to close it.
 */
final class Tmux implements AutoCloseable {

    private static final Duration PATIENCE = Duration.ofSeconds(60);

    private final String socket;
    private final String session;
    private final Path exitStatus;
    private final Thread onJvmExit = new Thread(this::kill, "tmux-cleanup");

    private Tmux(String socket, String session, Path exitStatus) {
        this.socket = socket;
        this.session = session;
        this.exitStatus = exitStatus;
    }

    /**
     * Starts {@code argv} in a new session of {@code columns} x {@code rows}. The shell around it writes
     * its exit status to a file: tmux 3.3 now and then leaves a pane's process unreaped, without a status.
     */
    static Tmux start(String name, int columns, int rows, List<String> argv) {
        String unique = name + "-" + ProcessHandle.current().pid() + "-"
                + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x10000));
        Path exitStatus = Path.of(System.getProperty("java.io.tmpdir"), "trama-e2e-" + unique + ".status");
        Tmux tmux = new Tmux("trama-e2e-" + unique, unique, exitStatus);
        Runtime.getRuntime().addShutdownHook(tmux.onJvmExit);
        tmux.tmux("new-session", "-d", "-s", tmux.session, "-x", Integer.toString(columns), "-y", Integer.toString(rows),
                String.join(" ", argv.stream().map(Tmux::quoted).toList()) + "; echo $? > " + quoted(exitStatus.toString()),
                ";", "set-option", "-w", "-t", tmux.session, "remain-on-exit", "on").check();
        return tmux;
    }

    private static String quoted(String arg) {
        return "'" + arg.replace("'", "'\\''") + "'";
    }

    private Shell.Result tmux(String... args) {
        List<String> argv = new ArrayList<>(List.of("tmux", "-L", socket, "-f", "/dev/null"));
        argv.addAll(List.of(args));
        return Shell.run(argv, 30);
    }

    /** The visible screen, without trailing blank lines. */
    String screen() {
        return tmux("capture-pane", "-p", "-t", session).check().out().stripTrailing();
    }

    /** Types text as it is (no key names). */
    Tmux type(String text) {
        tmux("send-keys", "-t", session, "-l", text).check();
        return this;
    }

    /** Presses keys by tmux's names: Enter, Tab, C-c, C-d. */
    Tmux press(String... keys) {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new)).check();
        return this;
    }

    /** Types an answer and presses Enter. */
    Tmux answer(String text) {
        if (!text.isEmpty()) {
            type(text);
        }
        return press("Enter");
    }

    /** Waits until the last line on the screen is the prompt with nothing typed after it yet; the screen then. */
    String awaitPrompt(String prompt) {
        return await("the prompt '" + prompt + "'", screen -> lastLine(screen).equals(prompt.strip()));
    }

    String awaitText(String text) {
        return await("'" + text + "'", screen -> screen.contains(text));
    }

    String await(String what, Predicate<String> ready) {
        AtomicReference<String> last = new AtomicReference<>("");
        try {
            return Awaitility.await(what).atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        last.set(screen());
                        return last.get();
                    }, ready::test);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("waited in vain for " + what + "; the screen:\n" + last.get());
        }
    }

    static String lastLine(String screen) {
        List<String> lines = screen.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
    }

    /** Waits for the program to end; its exit status. */
    int awaitExit() {
        await("the program to exit", screen -> !exitStatus().isEmpty());
        return Integer.parseInt(exitStatus());
    }

    private String exitStatus() {
        try {
            return Files.exists(exitStatus) ? Files.readString(exitStatus).strip() : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        kill();
        try {
            Runtime.getRuntime().removeShutdownHook(onJvmExit);
        } catch (IllegalStateException e) {
            // the JVM is shutting down and runs the hook anyway
        }
    }

    private void kill() {
        String socketPath = tmux("display-message", "-p", "#{socket_path}").out().strip();
        tmux("kill-server");
        delete(exitStatus);
        if (!socketPath.isEmpty()) {
            delete(Path.of(socketPath));
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // a leftover in the temporary directory is harmless
        }
    }
}
