/**
 * The console: a stateless client of the local daemon. {@link dev.trama.console.ConsoleMain} holds the
 * picocli subcommands (one class each in {@code commands}); {@link dev.trama.console.DaemonClient} is its
 * only connection.
 */
package dev.trama.console;
