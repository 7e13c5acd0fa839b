package dev.trama.daemon.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Kernel settings of the daemon's network namespace, read and written under /proc/sys. */
public final class Sysctl {

    private final Path root;

    public Sysctl(Path root) {
        this.root = root;
    }

    public static Sysctl system() {
        return new Sysctl(Path.of("/proc/sys"));
    }

    /** @param key dotted, e.g. {@code net.ipv4.ip_forward} */
    public String get(String key) {
        try {
            return Files.readString(path(key)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key, e);
        }
    }

    public void set(String key, String value) {
        try {
            Files.writeString(path(key), value + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set " + key + " to " + value, e);
        }
    }

    private Path path(String key) {
        if (!key.matches("[a-z0-9_]+(\\.[a-z0-9_]+)+")) {
            throw new IllegalArgumentException("'" + key + "' is not a sysctl key");
        }
        return root.resolve(key.replace('.', '/'));
    }
}
