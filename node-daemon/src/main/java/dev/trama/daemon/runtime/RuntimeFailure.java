package dev.trama.daemon.runtime;

/** The container engine could not do what was asked; the message says what, for a user. */
public final class RuntimeFailure extends RuntimeException {
    public RuntimeFailure(String message, Throwable cause) {
        super(message, cause);
    }
}
