package dev.trama.transport;

import dev.trama.protocol.Request;
import java.time.Duration;

/**
 * Asks a peer and waits for its answer: what the daemon's parts need of the server, so that they can be
 * tested against a fake one. A failure is a {@link dev.trama.protocol.TramaException} whose code says why.
 */
public interface Requester {

    <R> R call(Request<R> request);

    /** With a timeout and a number of tries of its own, e.g. for a heartbeat that must not wait long. */
    <R> R call(Request<R> request, Duration timeout, int attempts);
}
