package dev.trama.console.menu;

/** Ctrl-D, or the end of piped input: the console closes, the node and cluster stay as they are. */
final class Closed extends RuntimeException {

    Closed() {
        super("closed", null, false, false);
    }
}
