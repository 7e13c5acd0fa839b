/**
 * Threads and time, each made one way: {@link dev.trama.concurrent.Threads} names every thread, and
 * {@link dev.trama.concurrent.Sleeper} is the one seam through which code waits, so that tests drive it with a
 * clock of their own.
 */
package dev.trama.concurrent;
