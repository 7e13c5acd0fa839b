package dev.trama.server.store;

import java.util.UUID;

class MemoryStoreTest extends StoreContract {

    @Override
    protected KeyValueStore open() {
        return new MemoryStore();
    }

    @Override
    protected String freshRoot() {
        return "/t/" + UUID.randomUUID() + "/";
    }
}
