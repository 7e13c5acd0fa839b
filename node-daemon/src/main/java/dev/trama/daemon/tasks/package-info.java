/**
 * What the daemon does for the server's tasks: {@link dev.trama.daemon.tasks.ContainerTasks} launches
 * and destroys containers through the runtime and the node's network, selecting them only by
 * {@link dev.trama.daemon.tasks.Labels} of this cluster and node.
 */
package dev.trama.daemon.tasks;
