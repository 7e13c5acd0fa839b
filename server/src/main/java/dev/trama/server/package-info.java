/**
 * The Trama server: {@link dev.trama.server.ServerMain} parses the command line (and its
 * {@code join-token} subcommand), {@link dev.trama.server.TramaServer} binds the request (ROUTER), task (PUB)
 * and report (PULL) sockets, secured with the cluster's CURVE keypair, and routes each message, checked
 * against the key that sent it, to the cluster logic. All state is in etcd; a restarted server, or a second
 * one on the same etcd, carries on where the first left off.
 */
package dev.trama.server;
