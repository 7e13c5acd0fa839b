/**
 * Value types of the network: {@link dev.trama.net.Ipv4}, {@link dev.trama.net.Cidr} and the name
 * rule {@link dev.trama.net.Names}. They validate in their constructors and do no I/O, so a value that
 * exists is a valid one, whether it came from a user, the wire or etcd.
 */
package dev.trama.net;
