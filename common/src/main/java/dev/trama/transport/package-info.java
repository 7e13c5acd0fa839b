/**
 * ZeroMQ plumbing shared by server, daemon and console. {@link dev.trama.transport.Sockets} makes every
 * socket; {@link dev.trama.transport.RequestServer} and {@link dev.trama.transport.RequestClient} carry
 * requests and replies (a worker pool behind a ROUTER on one side, Lazy Pirate retries with failover
 * across endpoints on the other); {@link dev.trama.transport.Sender} and
 * {@link dev.trama.transport.Receiver} carry one-way messages. Each socket is used by one thread only.
 */
package dev.trama.transport;
