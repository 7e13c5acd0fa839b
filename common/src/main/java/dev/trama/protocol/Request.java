package dev.trama.protocol;

/**
 * A message that expects one reply of type {@code R}. The type parameter is read once by the codec, so
 * a caller gets a typed result and a handler cannot answer with the wrong record.
 */
public interface Request<R> {
}
