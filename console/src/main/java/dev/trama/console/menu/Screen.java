package dev.trama.console.menu;

import dev.trama.console.Tables;
import dev.trama.console.progress.Progress;
import java.io.PrintWriter;
import org.jline.terminal.Terminal;
import org.jline.terminal.impl.DumbTerminal;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/** Where the menu writes: a terminal, or a dumb one when input comes from a pipe. */
final class Screen {

    private final Terminal terminal;

    Screen(Terminal terminal) {
        this.terminal = terminal;
    }

    Terminal terminal() {
        return terminal;
    }

    /** A person at a terminal that can redraw, as opposed to a script feeding a pipe. */
    boolean interactive() {
        return !(terminal instanceof DumbTerminal) && !Terminal.TYPE_DUMB.equals(terminal.getType())
                && !Terminal.TYPE_DUMB_COLOR.equals(terminal.getType());
    }

    /** Input from a pipe is not echoed by any terminal: the menu echoes it so the transcript reads like a session. */
    boolean echoesInput() {
        return terminal instanceof DumbTerminal;
    }

    int width() {
        int width = terminal.getWidth();
        return width > 0 ? width : Tables.DEFAULT_WIDTH;
    }

    void println(String text) {
        PrintWriter out = terminal.writer();
        out.print(text.endsWith("\n") ? text : text + "\n");
        out.flush();
    }

    /** Erases what the terminal echoed on the current line (such as ^C); nothing without a terminal. */
    void clearLine() {
        if (interactive()) {
            terminal.writer().print(Progress.CLEAR_LINE);
            terminal.writer().flush();
        }
    }

    /** A refusal or failure: one sentence, in red where the terminal can show it. */
    void error(String sentence) {
        String text = "error: " + sentence;
        if (interactive()) {
            println(new AttributedString(text, AttributedStyle.DEFAULT.foreground(AttributedStyle.RED)).toAnsi(terminal));
        } else {
            println(text);
        }
    }

    Progress progress(String doing) {
        return interactive() ? Progress.start(terminal.writer(), doing) : Progress.none();
    }
}
