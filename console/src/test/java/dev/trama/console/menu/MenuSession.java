package dev.trama.console.menu;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;

/** The menu driven by scripted input on JLine's dumb terminal, as when input is piped to {@code trama}. */
final class MenuSession {

    final int exitCode;
    final String transcript;

    private MenuSession(int exitCode, String transcript) {
        this.exitCode = exitCode;
        this.transcript = transcript;
    }

    static MenuSession run(Daemon daemon, String input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (Terminal terminal = new DumbTerminal("test", Terminal.TYPE_DUMB,
                new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), out, StandardCharsets.UTF_8)) {
            int exitCode = InteractiveConsole.run(terminal, daemon, false);
            terminal.flush();
            return new MenuSession(exitCode, out.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
