/**
 * The cluster's rules, over the key layout of {@link dev.trama.server.cluster.Keys}:
 * {@link dev.trama.server.cluster.Membership} (join, stay up, leave), {@link dev.trama.server.cluster.Segment}
 * (the overlay segment and each node's share of it), {@link dev.trama.server.cluster.Liveness} (a node down:
 * shown at once, released only after a grace), {@link dev.trama.server.cluster.Containers} (launch, remove,
 * task outcomes, letting go of a node's containers), {@link dev.trama.server.cluster.TaskSweeper} (tasks seen
 * through) and {@link dev.trama.server.cluster.ClusterReader} (the view, metrics).
 *
 * <p>Every change is one etcd transaction guarded by what it read ({@code ifAbsent}, {@code ifUnchanged}),
 * run in {@link dev.trama.server.cluster.Optimistic}'s loop: when a guard fails the operation reads again.
 * Requests are idempotent: a launch or removal carries its task id, and a repeated one is answered as the
 * first was.
 */
package dev.trama.server.cluster;
