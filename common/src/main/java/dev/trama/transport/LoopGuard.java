package dev.trama.transport;

import dev.trama.cli.ExitCodes;
import dev.trama.concurrent.Threads;
import java.nio.channels.ClosedSelectorException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
import zmq.ZError;

/**
 * What a socket loop does with a failure of one of its turns: a loop must go on serving whatever happens,
 * or end the process, never die alone and leave a process that looks alive but no longer listens.
 *
 * <p>A failure caused by the socket's context closing ends the loop quietly: the process is shutting down.
 * Any other failure, {@link Error}s included, is logged and the loop goes on after a pause that grows with
 * the failures in a row; when every turn has failed for a while the loop cannot recover, and the process
 * ends so that its supervisor can start it afresh.
 */
final class LoopGuard {

    private static final Logger log = LoggerFactory.getLogger(LoopGuard.class);
    private static final int FATAL_IN_A_ROW = 20;
    private static final long MAX_PAUSE_MS = 1_000;

    private final String loop;
    private final Throttle throttle = new Throttle();
    private int inARow;

    LoopGuard(String loop) {
        this.loop = loop;
    }

    /** A turn went through: failures before it were passing ones. */
    void succeeded() {
        inARow = 0;
    }

    /**
     * Handles a failure of one turn.
     *
     * @return whether the loop goes on; {@code false} when the context is closing
     */
    boolean failed(Throwable failure) {
        if (closing(failure)) {
            log.debug("{} ends: its sockets are closing", loop);
            return false;
        }
        inARow++;
        if (inARow >= FATAL_IN_A_ROW) {
            log.error("{} failed {} times in a row and cannot go on: ending the process", loop, inARow, failure);
            // not on this thread: shutdown hooks may wait for this loop to end
            Threads.start("exit", () -> System.exit(ExitCodes.FAILED));
            return false;
        }
        int held = throttle.pass();
        if (held >= 0) {
            log.error("{} failed and goes on{}", loop, Throttle.more(held), failure);
        }
        try {
            Thread.sleep(Math.min(MAX_PAUSE_MS, 50L * (inARow - 1)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return true;
    }

    /** Whether a failure says the socket's context is closing. */
    static boolean closing(Throwable failure) {
        return failure instanceof ZMQException e && e.getErrorCode() == ZMQ.Error.ETERM.getCode()
                || failure instanceof ZError.CtxTerminatedException
                || failure instanceof ClosedSelectorException;
    }
}
