package dev.trama.daemon.dns;

import dev.trama.net.Ipv4;
import dev.trama.protocol.Task;
import java.net.InetAddress;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster's container names and their overlay addresses, as this node last learnt them: the table of the
 * highest store revision given. Names are looked up case-insensitively. Read by the resolver's threads, replaced
 * whole by whoever learns a newer table.
 */
public final class NameTable {

    private record Snapshot(long revision, Map<String, InetAddress> addresses) {
    }

    private volatile Snapshot current = new Snapshot(-1, Map.of());

    /** Takes the table unless an older one than held; true when taken. */
    public synchronized boolean update(Task.Names names) {
        if (names.revision() < current.revision()) {
            return false;
        }
        Map<String, InetAddress> addresses = new HashMap<>();
        names.addresses().forEach((name, address) -> addresses.put(key(name), literal(address)));
        current = new Snapshot(names.revision(), Map.copyOf(addresses));
        return true;
    }

    /** The address of a container of the cluster, by its name in any case. */
    public Optional<InetAddress> lookup(String name) {
        return Optional.ofNullable(current.addresses().get(key(name)));
    }

    /** The revision of the table held; -1 before any. */
    public long revision() {
        return current.revision();
    }

    public int size() {
        return current.addresses().size();
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** An IPv4 address in dotted form (checked by {@link Task.Names}), made without any lookup. */
    static InetAddress literal(String address) {
        return Ipv4.parse(address).inetAddress();
    }
}
