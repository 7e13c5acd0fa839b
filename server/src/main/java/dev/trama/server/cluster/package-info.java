/**
 * The cluster's rules, over the key layout of {@link dev.trama.server.cluster.Keys}:
 * {@link dev.trama.server.cluster.Nodes} (join, take a share of the segment, leave),
 * {@link dev.trama.server.cluster.Containers} (launch, remove, task outcomes) and
 * {@link dev.trama.server.cluster.ClusterReader} (the view, metrics).
 *
 * <p>Every change is one etcd transaction guarded by what it read ({@code ifAbsent}, {@code ifUnchanged});
 * when a guard fails the operation reads again and retries a few rounds. Requests are idempotent: a launch
 * or removal carries its task id, and a repeated one is answered as the first was.
 */
package dev.trama.server.cluster;
