package dev.trama.console.menu;

import dev.trama.concurrent.Threads;
import dev.trama.console.progress.Progress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.jline.terminal.Terminal;
import org.jline.terminal.Terminal.Signal;

/**
 * A long step of the menu (configure, launch, remove, leave): a progress line while it lasts, and
 * Ctrl-C stops the waiting, not the step, which the node carries on with; the menu comes back.
 */
final class Waiting {

    private static final Executor REQUESTS = task -> Threads.start("trama-request", task);

    private final Screen screen;

    Waiting(Screen screen) {
        this.screen = screen;
    }

    /** The step's result, or its exception; {@link Cancelled} if the user stopped waiting. */
    <T> T on(String doing, Supplier<T> step) {
        CompletableFuture<T> result = CompletableFuture.supplyAsync(step, REQUESTS);
        Terminal terminal = screen.terminal();
        Terminal.SignalHandler previous = terminal.handle(Signal.INT, signal -> result.completeExceptionally(new Cancelled()));
        try (Progress progress = screen.progress(doing)) {
            return result.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof Cancelled cancelled) {
                screen.clearLine();
                screen.println("stopped waiting; the node goes on with it (option 3 shows the cluster)");
                throw cancelled;
            }
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        } finally {
            terminal.handle(Signal.INT, previous);
        }
    }
}
