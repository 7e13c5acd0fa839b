package dev.trama.server.store;

import java.util.List;

/** The entries under a prefix as of one store revision. */
public record Listing(List<Entry> entries, long revision) {
    public Listing {
        entries = List.copyOf(entries);
    }
}
