/**
 * A one-line indicator for a step that takes a while ({@code launching web on n2... 3s}), drawn on a
 * terminal only, from a thread of its own, and erased before the step's outcome is printed. It stays
 * silent for the first fraction of a second so that quick answers leave no trace, and it is never
 * drawn into a pipe or a file, where scripts read the output.
 */
package dev.trama.console.progress;
