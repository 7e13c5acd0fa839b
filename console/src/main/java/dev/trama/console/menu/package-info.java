/**
 * The interactive menu that {@code trama} opens without a subcommand, the original console's loop:
 * configure an unconfigured node first, then launch, destroy, watch the cluster, leave, or close.
 *
 * <p>This is the only package that uses JLine. {@link dev.trama.console.menu.Prompter} owns the line
 * reader (editing, history, completion of the names a prompt expects) and turns Ctrl-C and Ctrl-D
 * into {@link dev.trama.console.menu.Cancelled} and {@link dev.trama.console.menu.Closed};
 * {@link dev.trama.console.menu.Answers} parses and checks what was typed without any I/O, so a bad
 * answer is refused and asked again before anything is sent. The menu reaches its node only through
 * the small {@link dev.trama.console.menu.Daemon} interface, which tests replace. On a terminal,
 * long steps show a progress line and Ctrl-C stops waiting for them; with input from a pipe JLine
 * gives a dumb terminal, answers are echoed so the transcript reads like a session, and the live
 * view is printed once.
 */
package dev.trama.console.menu;
