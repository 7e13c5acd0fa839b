package dev.trama.protocol;

/**
 * A failure with a code a program can act on and a one-sentence message a person can read. It
 * travels as an error reply and is rethrown on the other side with the same code and message.
 */
public class TramaException extends RuntimeException {

    private final ErrorCode code;

    public TramaException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public TramaException(ErrorCode code, String message, Throwable cause) {
        super(message, cause);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
