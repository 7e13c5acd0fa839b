package dev.trama.console.menu;

/** Ctrl-C: the user gave up the current step; the menu comes back. */
final class Cancelled extends RuntimeException {

    Cancelled() {
        super("cancelled", null, false, false);
    }
}
