package dev.trama.protocol;

/** The body of an error reply. */
public record Failure(ErrorCode code, String message) {
    public Failure {
        if (code == null) {
            code = ErrorCode.INTERNAL;
        }
        message = Check.text(message);
        if (message == null || message.isBlank()) {
            message = "unspecified error";
        }
    }
}
