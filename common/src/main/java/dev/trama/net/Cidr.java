package dev.trama.net;

/**
 * An IPv4 network: its network address and prefix length. The network address must have no host
 * bits set ({@code 10.10.0.0/16}, not {@code 10.10.0.1/16}), so every prefix has exactly one spelling.
 */
public record Cidr(Ipv4 network, int prefix) {

    public Cidr {
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix length " + prefix + " is outside 0-32");
        }
        if ((network.bits() & ~mask(prefix)) != 0) {
            Ipv4 fixed = new Ipv4(network.bits() & mask(prefix));
            throw new IllegalArgumentException(
                    network + "/" + prefix + " has host bits set; the network is " + fixed + "/" + prefix);
        }
    }

    public static Cidr parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("a network in CIDR form (e.g. 10.10.0.0/16) is required");
        }
        int slash = text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not in CIDR form (e.g. 10.10.0.0/16)");
        }
        String length = text.substring(slash + 1);
        if (length.isEmpty() || length.length() > 2 || !length.chars().allMatch(Character::isDigit)) {
            throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
        }
        Ipv4 address;
        try {
            address = Ipv4.parse(text.substring(0, slash));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + text + "' is not in CIDR form (e.g. 10.10.0.0/16)");
        }
        return new Cidr(address, Integer.parseInt(length));
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    /** Number of addresses in the network, network and broadcast included. */
    public long size() {
        return 1L << (32 - prefix);
    }

    public boolean contains(Ipv4 address) {
        return (address.bits() & mask(prefix)) == network.bits();
    }

    public Ipv4 broadcast() {
        return new Ipv4(network.bits() | ~mask(prefix));
    }

    /** The number of addresses a host may use: all but the network and broadcast addresses. */
    public long usableHosts() {
        return Math.max(0, size() - 2);
    }

    /** The i-th usable host address, counting from 0 (the address after the network address). */
    public Ipv4 host(long index) {
        if (index < 0 || index >= usableHosts()) {
            throw new IndexOutOfBoundsException("host index " + index + " outside " + this);
        }
        return network.plus(index + 1);
    }

    /** The position of a usable host address, the inverse of {@link #host(long)}. */
    public long hostIndex(Ipv4 address) {
        if (!contains(address) || address.equals(network) || address.equals(broadcast())) {
            throw new IllegalArgumentException(address + " is not a usable host address of " + this);
        }
        return address.unsigned() - network.unsigned() - 1;
    }

    /** The dotted netmask, e.g. 255.255.0.0 for a /16. */
    public Ipv4 netmask() {
        return new Ipv4(mask(prefix));
    }

    @Override
    public String toString() {
        return network + "/" + prefix;
    }
}
