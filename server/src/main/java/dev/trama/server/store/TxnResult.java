package dev.trama.server.store;

import java.util.Map;
import java.util.Optional;

/** Whether a transaction applied and, when it did not, the keys it was asked to read. */
public record TxnResult(boolean succeeded, Map<String, Entry> readOnFailure) {

    public TxnResult {
        readOnFailure = Map.copyOf(readOnFailure);
    }

    public Optional<Entry> read(String key) {
        return Optional.ofNullable(readOnFailure.get(key));
    }
}
