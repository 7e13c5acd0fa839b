package dev.trama.console.menu;

import dev.trama.console.Tables;
import dev.trama.protocol.ClusterView;
import dev.trama.protocol.TramaException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import org.jline.terminal.Attributes;
import org.jline.terminal.Attributes.LocalFlag;
import org.jline.terminal.Size;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.Display;
import org.jline.utils.InfoCmp.Capability;
import org.jline.utils.NonBlockingReader;

/**
 * Option 3: the cluster's containers and nodes, redrawn in place every second on a screen of their
 * own until a key is pressed (Ctrl-C included), like {@code watch}. Node metrics change as often as
 * the server collects them. Without a terminal that can redraw, the view is printed once.
 */
final class SystemInformation {

    static final Duration REFRESH = Duration.ofSeconds(1);
    private static final long DRAIN_MILLIS = 30;

    private final Screen screen;
    private final Daemon daemon;

    SystemInformation(Screen screen, Daemon daemon) {
        this.screen = screen;
        this.daemon = daemon;
    }

    void show() {
        if (!screen.interactive()) {
            screen.println(String.join("\n", frame(daemon.cluster(), null, now(), screen.width(), "")));
            return;
        }
        Terminal terminal = screen.terminal();
        Attributes saved = terminal.enterRawMode();
        Attributes keysOnly = new Attributes(terminal.getAttributes());
        keysOnly.setLocalFlag(LocalFlag.ISIG, false);
        terminal.setAttributes(keysOnly);
        terminal.puts(Capability.enter_ca_mode);
        terminal.puts(Capability.cursor_invisible);
        terminal.puts(Capability.clear_screen);
        try {
            watch(terminal);
        } finally {
            terminal.puts(Capability.cursor_visible);
            terminal.puts(Capability.exit_ca_mode);
            terminal.setAttributes(saved);
            terminal.flush();
        }
    }

    private void watch(Terminal terminal) {
        Display display = new Display(terminal, true);
        ClusterView view = null;
        do {
            String problem = null;
            try {
                view = daemon.cluster();
            } catch (TramaException e) {
                problem = e.getMessage();
            }
            Size size = terminal.getSize();
            display.resize(size.getRows(), size.getColumns());
            List<AttributedString> lines = new ArrayList<>();
            for (String line : frame(view, problem, now(), screen.width(), "press any key to return to the menu")) {
                if (lines.size() < size.getRows() - 1) {
                    lines.add(new AttributedString(line));
                }
            }
            display.update(lines, 0);
            terminal.flush();
        } while (!keyPressedWithin(terminal, REFRESH));
    }

    /** The lines of one view: a title, a problem if the last refresh failed, and the cluster's tables. */
    static List<String> frame(ClusterView view, String problem, LocalTime at, int width, String hint) {
        List<String> lines = new ArrayList<>();
        lines.add("System information at " + at + (hint.isEmpty() ? "" : " - " + hint));
        if (problem != null) {
            lines.add("error: " + problem);
        }
        lines.add("");
        if (view != null) {
            lines.addAll(Tables.info(view, width).lines().toList());
        }
        return lines;
    }

    private static LocalTime now() {
        return LocalTime.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** Waits for a key; the rest of a key's sequence (arrows send several characters) is read too. */
    private static boolean keyPressedWithin(Terminal terminal, Duration wait) {
        NonBlockingReader reader = terminal.reader();
        try {
            int key = reader.read(wait.toMillis());
            if (key == NonBlockingReader.READ_EXPIRED) {
                return false;
            }
            while (key >= 0) {
                key = reader.read(DRAIN_MILLIS);
            }
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
