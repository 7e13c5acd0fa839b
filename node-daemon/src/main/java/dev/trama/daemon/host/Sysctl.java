package dev.trama.daemon.host;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Kernel settings of a network namespace: the daemon's own, read and written under /proc/sys, or those
 * that {@code sysctl} sees when a {@link CommandRunner} runs it (in whatever namespace it runs its commands).
 */
public final class Sysctl {

    private final Path root;
    private final CommandRunner runner;

    public Sysctl(Path root) {
        this(root, null);
    }

    private Sysctl(Path root, CommandRunner runner) {
        this.root = root;
        this.runner = runner;
    }

    public static Sysctl system() {
        return new Sysctl(Path.of("/proc/sys"));
    }

    /** Settings read with {@code sysctl -n} and written with {@code sysctl -w}, run by the runner. */
    public static Sysctl through(CommandRunner runner) {
        return new Sysctl(null, runner);
    }

    /** @param key dotted, e.g. {@code net.ipv4.ip_forward} */
    public String get(String key) {
        if (runner != null) {
            return runner.check(List.of("sysctl", "-n", key(key))).stdout().strip();
        }
        try {
            return Files.readString(path(key)).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key, e);
        }
    }

    public void set(String key, String value) {
        if (!value.matches("[A-Za-z0-9_.:/ -]{1,256}")) {
            throw new IllegalArgumentException("'" + value + "' is not a sysctl value this daemon writes");
        }
        if (runner != null) {
            runner.check(List.of("sysctl", "-q", "-w", key(key) + "=" + value));
            return;
        }
        try {
            Files.writeString(path(key), value + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot set " + key + " to " + value, e);
        }
    }

    private Path path(String key) {
        return root.resolve(key(key).replace('.', '/'));
    }

    private static String key(String key) {
        if (!key.matches("[a-z0-9_]+(\\.[a-z0-9_]+)+")) {
            throw new IllegalArgumentException("'" + key + "' is not a sysctl key");
        }
        return key;
    }
}
