package dev.trama.console.menu;

import dev.trama.cli.ExitCodes;
import dev.trama.protocol.Replies.NodeStatus;
import dev.trama.protocol.TramaException;
import java.util.List;

/**
 * The original console's loop: "are you configured?" first (and the segment question if not), then
 * the five options until one closes the console. A failed option prints its one-sentence reason and
 * the menu comes back; Ctrl-C at any question comes back to the menu; Ctrl-D closes.
 */
final class Menu {

    private final Screen screen;
    private final Prompter prompter;
    private final Daemon daemon;
    private final Waiting waiting;
    private final boolean debug;

    Menu(Screen screen, Prompter prompter, Daemon daemon, boolean debug) {
        this.screen = screen;
        this.prompter = prompter;
        this.daemon = daemon;
        this.waiting = new Waiting(screen);
        this.debug = debug;
    }

    /** Runs until the user closes the console or this node leaves; the exit status. */
    int run() {
        NodeStatus status = daemon.status();
        try {
            if (!status.configured()) {
                new SegmentSetup(screen, prompter, waiting, daemon).configure(status);
                status = daemon.status();
            }
        } catch (Cancelled | Closed e) {
            screen.println("Closed; run trama again to configure node " + status.node() + ".");
            return ExitCodes.OK;
        }
        screen.println("Trama console of node " + status.node() + " (segment " + status.subnet() + ", bridge "
                + status.bridgeIp() + ")");
        return loop(status.node());
    }

    private int loop(String localNode) {
        while (true) {
            screen.println("\n" + MenuOption.listing());
            try {
                MenuOption option = prompter.ask("Choose [1-" + MenuOption.values().length + "]", null, List.of(),
                        Answers::choice);
                switch (option) {
                    case LAUNCH -> new LaunchContainer(screen, prompter, waiting, daemon, localNode).launch();
                    case DESTROY -> new DestroyContainer(screen, prompter, waiting, daemon).destroy();
                    case SYSTEM_INFORMATION -> new SystemInformation(screen, daemon).show();
                    case LEAVE -> {
                        if (new LeaveCluster(screen, prompter, waiting, daemon, localNode).leave()) {
                            return ExitCodes.OK;
                        }
                    }
                    case CLOSE -> {
                        return ExitCodes.OK;
                    }
                }
            } catch (Cancelled e) {
                screen.println("");
            } catch (Closed e) {
                screen.println("");
                return ExitCodes.OK;
            } catch (TramaException | IllegalArgumentException e) {
                screen.error(e.getMessage());
            } catch (RuntimeException e) {
                screen.error("unexpected: " + e);
                if (debug) {
                    e.printStackTrace(screen.terminal().writer());
                }
            }
        }
    }
}
