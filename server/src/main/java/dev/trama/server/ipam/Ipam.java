package dev.trama.server.ipam;

import dev.trama.net.Cidr;
import dev.trama.net.Ipv4;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;
import dev.trama.server.store.Entry;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Listing;
import dev.trama.server.store.WatchListener;
import java.util.BitSet;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses free addresses of a segment; the store decides who gets them.
 *
 * <p>Each address in use is a key under {@code ips/}, created only if absent in the same transaction
 * as whatever holds it (a container, a node's bridge), so two servers or threads can never hold one
 * address. Choosing a candidate does not touch the store: this class keeps a bitmap of the keys,
 * loaded once by a listing and kept current by a watch, and gives out the next clear bit after the
 * last one given (next fit, so a released address is not reused at once). An allocation therefore
 * costs one transaction whatever the occupancy; a candidate another server took meanwhile costs one
 * more. "Full" is only answered after a fresh listing confirms it.
 */
public final class Ipam implements AutoCloseable {

    /** What became of a candidate address. */
    public enum Outcome {
        /** The caller's transaction took the address. */
        CLAIMED,
        /** Someone else holds the address: try another. */
        TAKEN
    }

    /**
     * Tries to take a candidate address in one transaction, with whatever else must change with it.
     * A failure for any other reason than the address is thrown, and the candidate is given back.
     */
    @FunctionalInterface
    public interface Claim {
        Outcome attempt(Ipv4 candidate);
    }

    private static final Logger log = LoggerFactory.getLogger(Ipam.class);
    private static final int MAX_ATTEMPTS = 1_000;

    private final KeyValueStore store;
    private final String prefix;
    private final Set<Ipv4> known = new HashSet<>();
    private Cidr subnet;
    private BitSet used = new BitSet();
    private long cursor;
    private boolean synced;
    private AutoCloseable watch;

    /** @param prefix the key prefix of allocated addresses, e.g. {@code /trama/v1/ips/} */
    public Ipam(KeyValueStore store, String prefix) {
        this.store = store;
        this.prefix = prefix;
    }

    public Ipv4 allocate(Cidr segment, Claim claim) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Ipv4 candidate = reserve(segment);
            boolean keep = false;
            try {
                Outcome outcome = claim.attempt(candidate);
                keep = true;
                if (outcome == Outcome.CLAIMED) {
                    return candidate;
                }
                log.debug("address {} was taken meanwhile, trying another", candidate);
            } finally {
                if (!keep) {
                    giveBack(candidate);
                }
            }
        }
        throw new TramaException(ErrorCode.INTERNAL, "no address of " + segment + " could be claimed after "
                + MAX_ATTEMPTS + " attempts");
    }

    private synchronized Ipv4 reserve(Cidr segment) {
        if (!synced || !segment.equals(subnet)) {
            load(segment);
        }
        long index = nextFree();
        if (index < 0) {
            load(segment);
            index = nextFree();
            if (index < 0) {
                throw new TramaException(ErrorCode.SEGMENT_FULL, "segment " + segment + " is full: all "
                        + segment.usableHosts() + " addresses are in use");
            }
        }
        used.set((int) index);
        cursor = index + 1;
        return segment.host(index);
    }

    private long nextFree() {
        long size = subnet.usableHosts();
        int from = (int) (cursor >= size ? 0 : cursor);
        int index = used.nextClearBit(from);
        if (index >= size) {
            index = used.nextClearBit(0);
        }
        return index < size ? index : -1;
    }

    private synchronized void giveBack(Ipv4 candidate) {
        if (subnet != null && usable(candidate) && !known.contains(candidate)) {
            used.clear((int) subnet.hostIndex(candidate));
        }
    }

    /** Reloads every allocated address from the store and watches for changes from there on. */
    private void load(Cidr segment) {
        closeWatch();
        Listing listing = store.listKeys(prefix);
        known.clear();
        for (Entry entry : listing.entries()) {
            parse(entry.key()).ifPresent(known::add);
        }
        if (!segment.equals(subnet)) {
            cursor = 0;
        }
        subnet = segment;
        used = new BitSet((int) Math.min(Integer.MAX_VALUE, segment.usableHosts()));
        known.stream().filter(this::usable).forEach(a -> used.set((int) segment.hostIndex(a)));
        watch = store.watch(prefix, listing.revision(), new Listener());
        synced = true;
        log.debug("loaded {} allocated addresses at revision {}", known.size(), listing.revision());
    }

    private boolean usable(Ipv4 address) {
        return subnet.contains(address) && !address.equals(subnet.network()) && !address.equals(subnet.broadcast());
    }

    private java.util.Optional<Ipv4> parse(String key) {
        try {
            return java.util.Optional.of(Ipv4.parse(key.substring(prefix.length())));
        } catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            log.warn("ignoring malformed address key {}", key);
            return java.util.Optional.empty();
        }
    }

    private final class Listener implements WatchListener {
        @Override
        public void onPut(String key, byte[] value, long revision) {
            parse(key).ifPresent(address -> {
                synchronized (Ipam.this) {
                    known.add(address);
                    if (subnet != null && usable(address)) {
                        used.set((int) subnet.hostIndex(address));
                    }
                }
            });
        }

        @Override
        public void onDelete(String key, long revision) {
            parse(key).ifPresent(address -> {
                synchronized (Ipam.this) {
                    known.remove(address);
                    if (subnet != null && usable(address)) {
                        used.clear((int) subnet.hostIndex(address));
                    }
                }
            });
        }

        @Override
        public void onBroken(Throwable cause) {
            synchronized (Ipam.this) {
                synced = false;
            }
            log.warn("watch of allocated addresses broke ({}); reloading at the next allocation", cause.toString());
        }
    }

    private void closeWatch() {
        if (watch != null) {
            try {
                watch.close();
            } catch (Exception e) {
                log.debug("closing address watch: {}", e.toString());
            }
            watch = null;
        }
    }

    @Override
    public synchronized void close() {
        closeWatch();
        synced = false;
    }
}
