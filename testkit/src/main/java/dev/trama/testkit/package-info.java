/**
 * Real parts for tests: an etcd process on loopback, free ports, and (for end-to-end tests) a simulated
 * LAN of network namespaces with a cluster of the real jars on it. The LAN and etcd's command line come
 * from {@code scripts/lib}, the same scripts {@code scripts/trama-sim} runs, so the demo and the tests
 * cannot drift apart; the jars come from the paths Maven passes ({@link dev.trama.testkit.Project}).
 * Everything here cleans up after itself, also when a test fails, and after a killed run on the next.
 */
package dev.trama.testkit;
