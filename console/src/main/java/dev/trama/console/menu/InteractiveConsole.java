package dev.trama.console.menu;

import dev.trama.console.DaemonClient;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;
import java.io.IOException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/** Opens the menu on this process's terminal (a dumb one when input is piped) against the local daemon. */
public final class InteractiveConsole {

    private InteractiveConsole() {
    }

    /** The menu's exit status; a daemon that cannot be reached at all is a {@link TramaException}. */
    public static int open(int port, boolean debug) {
        try (Terminal terminal = TerminalBuilder.builder().name("trama").system(true).dumb(true).build();
             DaemonClient client = new DaemonClient(port)) {
            return run(terminal, new ClientDaemon(client), debug);
        } catch (IOException e) {
            throw new TramaException(ErrorCode.INTERNAL, "cannot open the terminal: " + e.getMessage(), e);
        }
    }

    /** Runs the menu on a given terminal and daemon. */
    public static int run(Terminal terminal, Daemon daemon, boolean debug) {
        Screen screen = new Screen(terminal);
        return new Menu(screen, new Prompter(screen), daemon, debug).run();
    }
}
