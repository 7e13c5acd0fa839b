/**
 * ZeroMQ plumbing shared by server, daemon and console. {@link dev.trama.transport.Sockets} makes every
 * socket; {@link dev.trama.transport.RequestServer} and {@link dev.trama.transport.RequestClient} carry
 * requests and replies (a worker pool behind a ROUTER on one side, Lazy Pirate retries with failover
 * across endpoints on the other); {@link dev.trama.transport.Sender} and
 * {@link dev.trama.transport.Receiver} carry one-way messages. Each socket is used by one thread only.
 *
 * <p>Security: a {@code Sockets} is either insecure (plain text) or CURVE with the process's
 * {@link dev.trama.transport.CurveKeyPair}. A CURVE bound socket asks its {@link dev.trama.transport.Admission}
 * whether each client key may connect and under which identity; that identity reaches handlers and
 * consumers as the {@link dev.trama.transport.Peer} of every message, read from the metadata ZeroMQ attaches.
 *
 * <p>Hostile input: whatever a peer sends is bounded before anything decodes it (frame count and size per
 * message, bytes and count of waiting work per peer and in all), a peer beyond its share is told the server
 * is overloaded while others are served, and every socket loop outlives any failure of one turn.
 */
package dev.trama.transport;
