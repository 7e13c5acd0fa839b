/**
 * The node's resolver for its containers. {@link dev.trama.daemon.dns.Resolver} serves DNS on the bridge's
 * address, which every container of the node has as its one nameserver (with the search domain {@code trama}).
 * The cluster's names come from the server: each change of them is published to every node as the whole table
 * with the store revision it is as of, and convergence brings it too, so a node keeps the newest
 * ({@link dev.trama.daemon.dns.NameTable}). {@link dev.trama.daemon.dns.Answers} decides, without any socket,
 * what a query gets: the cluster's names, "no such name" inside {@code trama.}, or the host's own resolvers
 * ({@link dev.trama.daemon.dns.Upstream}, the nameservers of the daemon's resolv.conf), which
 * {@link dev.trama.daemon.dns.DnsServer} asks on bounded threads. Every message is read and written by dnsjava.
 */
package dev.trama.daemon.dns;
