package dev.trama.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where tests find the project's own programs: the scripts under {@code scripts/lib} that describe the
 * simulated LAN and etcd's command line (shared with {@code scripts/trama-sim}), and the shaded jars of
 * the server, the daemon and the console. Maven names the jars: the e2e module depends on their modules,
 * so the reactor builds them first, and failsafe passes each shaded jar's path as a system property
 * ({@code trama.jar.server}, {@code trama.jar.daemon}, {@code trama.jar.console}).
 */
public final class Project {

    private Project() {
    }

    /** The repository root: {@code trama.root}, or the first directory from here up that holds the scripts. */
    public static Path root() {
        String configured = System.getProperty("trama.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("scripts").resolve("lib"))) {
                return p;
            }
        }
        throw new IllegalStateException("cannot find the project root (a directory holding scripts/lib) above " + start);
    }

    /** The argument vector that runs {@code scripts/lib/NAME} with the arguments (no shell in between). */
    public static List<String> script(String name, String... args) {
        Path script = root().resolve("scripts").resolve("lib").resolve(name);
        if (!Files.isExecutable(script)) {
            throw new IllegalStateException("script " + script + " is missing or not executable");
        }
        List<String> argv = new ArrayList<>(List.of(script.toString()));
        argv.addAll(List.of(args));
        return argv;
    }

    /** trama-server's shaded jar. */
    public static Path serverJar() {
        return jar("server");
    }

    /** trama-daemon's shaded jar. */
    public static Path daemonJar() {
        return jar("daemon");
    }

    /** trama-console's shaded jar. */
    public static Path consoleJar() {
        return jar("console");
    }

    private static Path jar(String name) {
        String property = "trama.jar." + name;
        String value = System.getProperty(property);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException("the path of trama-" + name + "'s jar is not set (system property " + property
                    + "): run the tests through Maven, which sets it");
        }
        Path jar = Path.of(value);
        if (!Files.isRegularFile(jar) || !jar.toString().endsWith(".jar")) {
            throw new IllegalStateException("trama-" + name + "'s jar " + jar + " is not built: run mvn package on its module first");
        }
        return jar;
    }
}
