/**
 * Real parts for tests: an etcd process on loopback, free ports, and (for end-to-end tests) a simulated
 * LAN of network namespaces. Everything here cleans up after itself, also when a test fails.
 */
package dev.trama.testkit;
