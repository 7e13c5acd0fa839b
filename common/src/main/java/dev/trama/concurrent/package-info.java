/** Threads made one way: {@link dev.trama.concurrent.Threads}. */
package dev.trama.concurrent;
