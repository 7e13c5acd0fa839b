/**
 * The node daemon. {@link dev.trama.daemon.Daemon} registers with the server (retrying until it answers),
 * converges the node's overlay, runs the tasks published on its topic through
 * {@link dev.trama.daemon.tasks.ContainerTasks}, pushes their outcomes and its metrics, and serves the
 * local console on 127.0.0.1 only.
 */
package dev.trama.daemon;
