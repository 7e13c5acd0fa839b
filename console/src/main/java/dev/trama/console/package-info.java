/**
 * The console: a stateless client of the local daemon. {@link dev.trama.console.ConsoleMain} holds the
 * picocli subcommands (one thin class each in {@code commands}) and, without a subcommand, opens the
 * interactive menu ({@code menu}, the only package that uses JLine). {@link dev.trama.console.DaemonClient}
 * is its only connection; {@link dev.trama.console.Tables} renders what both print, and {@code progress}
 * draws the line that shows a long step is under way.
 */
package dev.trama.console;
