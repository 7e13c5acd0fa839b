package dev.trama.console.progress;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;

/** Whether standard error reaches a person at a terminal rather than a pipe or a file. */
public final class StderrTerminal {

    private static final Path STDERR = Path.of("/proc/self/fd/2");

    private StderrTerminal() {
    }

    /**
     * On Linux the target of file descriptor 2 tells about standard error itself, so that
     * {@code trama run n2 web > out.txt} still shows progress; elsewhere {@link System#console()}, which
     * tells about standard input and output, has to do.
     */
    public static boolean present() {
        try {
            return isTerminalDevice(Files.readSymbolicLink(STDERR).toString());
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return System.console() != null;
        }
    }

    static boolean isTerminalDevice(String path) {
        return path.startsWith("/dev/pts/") || path.startsWith("/dev/tty") || path.equals("/dev/console");
    }

    /** A progress line on standard error when it is a terminal, nothing otherwise. */
    public static Progress progress(PrintWriter err, String doing) {
        return present() ? Progress.start(err, doing) : Progress.none();
    }
}
