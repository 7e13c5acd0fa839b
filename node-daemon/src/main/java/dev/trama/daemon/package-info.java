/**
 * The node daemon. {@link dev.trama.daemon.Daemon} wires its parts: {@link dev.trama.daemon.MembershipLoop}
 * registers with the server (patiently; with the join token on a first join), sends heartbeats and registers
 * again, refusing to join another cluster than the one the node remembers ({@link dev.trama.daemon.NodeState});
 * {@link dev.trama.daemon.TaskRunner} carries out the tasks published for the node through
 * {@link dev.trama.daemon.tasks.ContainerTasks} and reports their outcomes and its metrics;
 * {@link dev.trama.daemon.Convergence} makes the host match the cluster, removing only what the cluster
 * released on purpose; {@link dev.trama.daemon.ConsoleActions} serves the local console, on 127.0.0.1 and to
 * root only; {@link dev.trama.daemon.dns.Resolver} answers the containers' DNS.
 */
package dev.trama.daemon;
