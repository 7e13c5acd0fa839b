package dev.trama.server.store;

import java.nio.charset.StandardCharsets;

/** A key, its value and the store revision of its last change. */
public record Entry(String key, byte[] value, long modRevision) {

    public String text() {
        return new String(value, StandardCharsets.UTF_8);
    }
}
