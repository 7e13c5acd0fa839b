package dev.trama.net;

/**
 * An IPv4 address held as its 32 bits. Parsing is strict: four decimal octets, no leading zeros,
 * nothing around them, so that a value that passes here is safe to hand to any host command.
 */
public record Ipv4(int bits) implements Comparable<Ipv4> {

    public static Ipv4 parse(String text) {
        if (text == null || text.isEmpty() || text.length() > 15) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new IllegalArgumentException("'" + text + "' is not an IPv4 address");
        }
        int bits = 0;
        for (String part : parts) {
            bits = (bits << 8) | octet(part, text);
        }
        return new Ipv4(bits);
    }

    private static int octet(String part, String whole) {
        boolean digits = !part.isEmpty() && part.length() <= 3 && part.chars().allMatch(c -> c >= '0' && c <= '9');
        if (!digits || (part.length() > 1 && part.charAt(0) == '0')) {
            throw new IllegalArgumentException("'" + whole + "' is not an IPv4 address");
        }
        int value = Integer.parseInt(part);
        if (value > 255) {
            throw new IllegalArgumentException("'" + whole + "' is not an IPv4 address");
        }
        return value;
    }

    /** The address as an unsigned number, for arithmetic. */
    /** The address as Java's sockets take it (no name lookup). */
    public java.net.InetAddress inetAddress() {
        try {
            return java.net.InetAddress.getByAddress(new byte[] {(byte) (bits >>> 24), (byte) (bits >>> 16), (byte) (bits >>> 8),
                    (byte) bits});
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    public long unsigned() {
        return Integer.toUnsignedLong(bits);
    }

    public Ipv4 plus(long offset) {
        return new Ipv4((int) (unsigned() + offset));
    }

    @Override
    public int compareTo(Ipv4 other) {
        return Integer.compareUnsigned(bits, other.bits);
    }

    @Override
    public String toString() {
        return ((bits >>> 24) & 0xff) + "." + ((bits >>> 16) & 0xff) + "." + ((bits >>> 8) & 0xff) + "." + (bits & 0xff);
    }
}
