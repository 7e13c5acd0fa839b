package dev.trama.net;

/**
 * An address as an interface holds it: the host address and the prefix length of its network,
 * written {@code 10.10.0.5/16}.
 */
public record InterfaceAddress(Ipv4 address, int prefix) {

    public InterfaceAddress {
        if (address == null) {
            throw new IllegalArgumentException("an address is required");
        }
        if (prefix < 0 || prefix > 32) {
            throw new IllegalArgumentException("prefix length " + prefix + " is outside 0-32");
        }
    }

    public static InterfaceAddress parse(String text) {
        int slash = text == null ? -1 : text.indexOf('/');
        if (slash < 0) {
            throw new IllegalArgumentException("'" + text + "' is not an address with prefix length (e.g. 10.10.0.5/16)");
        }
        String length = text.substring(slash + 1);
        if (length.isEmpty() || length.length() > 2 || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("'" + text + "' has no valid prefix length");
        }
        return new InterfaceAddress(Ipv4.parse(text.substring(0, slash)), Integer.parseInt(length));
    }

    public static InterfaceAddress of(Ipv4 address, Cidr network) {
        return new InterfaceAddress(address, network.prefix());
    }

    public Cidr network() {
        return new Cidr(new Ipv4(address.bits() & Cidr.mask(prefix)), prefix);
    }

    @Override
    public String toString() {
        return address + "/" + prefix;
    }
}
