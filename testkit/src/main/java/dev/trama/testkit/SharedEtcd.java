package dev.trama.testkit;

import java.util.UUID;

/**
 * One etcd for all the tests of a JVM, started on first use and removed when the JVM exits. Tests
 * keep out of each other's way by each using a key root of its own ({@link #freshRoot()}).
 */
public final class SharedEtcd {

    private static EtcdProcess etcd;

    private SharedEtcd() {
    }

    public static synchronized EtcdProcess get() {
        if (etcd == null) {
            etcd = new EtcdProcess();
            Runtime.getRuntime().addShutdownHook(new Thread(etcd::close, "etcd-teardown"));
        }
        return etcd;
    }

    public static String endpoint() {
        return get().endpoint();
    }

    /** A key root no other test uses, e.g. {@code /trama-test/1f0c.../}. */
    public static String freshRoot() {
        return "/trama-test/" + UUID.randomUUID() + "/";
    }
}
