package dev.trama.server.cluster;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;
import dev.trama.server.store.Entry;
import java.io.IOException;

/** JSON of stored records. A value that cannot be read is reported as corrupt state, naming its key. */
final class StoredJson {

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private StoredJson() {
    }

    static byte[] bytes(Object record) {
        try {
            return JSON.writeValueAsBytes(record);
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode " + record.getClass().getSimpleName(), e);
        }
    }

    static <T> T read(Entry entry, Class<T> type) {
        try {
            return JSON.readValue(entry.value(), type);
        } catch (IOException e) {
            throw new TramaException(ErrorCode.INTERNAL, "corrupt cluster state at " + entry.key(), e);
        }
    }
}
