package dev.trama.testkit;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.awaitility.core.ConditionTimeoutException;

/**
 * A whole Trama cluster on a {@link SimulatedLan}: etcd and the server on the server host (192.0.2.2),
 * a daemon on every host, each the real shaded jar in its own process (found through {@link Project}), and
 * the real console run inside a host's namespace. etcd starts with the command line of
 * {@code scripts/lib/etcd}, as in {@code scripts/trama-sim}. {@link #close()} stops every process it
 * started and removes the LAN, containers included, also when a test failed.
 */
public final class TramaCluster implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final String ETCD_CLIENT_PORT = "2379";
    private static final String ETCD_PEER_PORT = "2380";
    private static final String ETCD_ENDPOINT = "http://127.0.0.1:" + ETCD_CLIENT_PORT;
    private static final String START_MARK = "=== start ===\n";

    private final SimulatedLan lan;
    private final Path logs;
    private final Map<String, Process> processes = new HashMap<>();
    private final List<String> serverOptions;
    private final List<String> daemonOptions;

    private TramaCluster(SimulatedLan lan, Path root, List<String> serverOptions, List<String> daemonOptions) {
        this.lan = lan;
        this.serverOptions = List.copyOf(serverOptions);
        this.daemonOptions = List.copyOf(daemonOptions);
        this.logs = root.resolve("target").resolve("e2e-logs").resolve(lan.prefix().replace("-", ""));
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts etcd, the server and one daemon per host; the nodes are registered, not configured. */
    public static TramaCluster start(int hosts, String... daemonOptions) {
        return start(hosts, List.of(), daemonOptions);
    }

    /** As {@link #start(int, String...)}, with options for the server (e.g. {@code --node-timeout 3s}). */
    public static TramaCluster start(int hosts, List<String> serverOptions, String... daemonOptions) {
        SimulatedLan lan = SimulatedLan.create(hosts);
        TramaCluster cluster = new TramaCluster(lan, Project.root(), serverOptions, List.of(daemonOptions));
        try {
            cluster.startServer();
            for (int i = 1; i <= hosts; i++) {
                cluster.startDaemon(i);
            }
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    /** The repository root: where the scripts are ({@link Project#root()}). */
    public static Path projectRoot() {
        return Project.root();
    }

    /** The console's shaded jar, for tests that run it their own way (on a terminal, with piped input). */
    public static Path consoleJar() {
        return Project.consoleJar();
    }

    /** The daemon's shaded jar, for tests that start one of their own. */
    public static Path daemonJar() {
        return Project.daemonJar();
    }

    public SimulatedLan lan() {
        return lan;
    }

    public String node(int i) {
        return lan.prefix() + "n" + i;
    }

    public Path logs() {
        return logs;
    }

    private void startServer() {
        startEtcd();
        startServerOnly();
    }

    /** Starts etcd on the server host, with the data it had if it ran before, and waits until it answers. */
    public void startEtcd() {
        startEtcd("etcd-data");
    }

    /**
     * Starts etcd on the server host with the named data directory of this cluster: another name than before
     * stands for etcd replaced by an empty one; the first name again for the original restored.
     */
    public void startEtcd(String dataName) {
        Path data = logs.resolve(dataName);
        spawn("etcd", lan.serverHost(), Project.script("etcd", "e2e", data.toString(), ETCD_CLIENT_PORT, ETCD_PEER_PORT));
        awaitStarted("etcd", "answer on " + ETCD_ENDPOINT, START_TIMEOUT, this::etcdAnswers);
    }

    private boolean etcdAnswers() {
        return Shell.run(Shell.in(lan.serverHost(), "env", "ETCDCTL_API=3", "etcdctl", "--endpoints", ETCD_ENDPOINT,
                "--command-timeout=1s", "endpoint", "health")).ok();
    }

    public void stopEtcd() {
        stop("etcd", false);
    }

    public void startServerOnly() {
        List<String> argv = new ArrayList<>(java(Project.serverJar(), "--etcd", ETCD_ENDPOINT, "--metrics-interval", "2s"));
        argv.addAll(serverOptions);
        spawn("server", lan.serverHost(), argv);
        awaitLog("server", "served on");
    }

    /** Whether the cluster runs in plain text ({@code --insecure} among the server's options). */
    public boolean insecure() {
        return serverOptions.contains("--insecure");
    }

    /** {@code trama-server join-token ARGS} on the server host, as an operator runs it; its one line. */
    public String joinToken(String... args) {
        List<String> argv = new ArrayList<>(java(Project.serverJar(), "join-token", "--etcd", ETCD_ENDPOINT));
        argv.addAll(List.of(args));
        return Shell.run(Shell.in(lan.serverHost(), argv.toArray(String[]::new)), 120).check().out().strip();
    }

    /** The file daemons are given the join token in: the cluster's token, readable by root only, made once. */
    public synchronized Path tokenFile() {
        Path file = logs.resolve("join-token");
        if (Files.exists(file)) {
            return file;
        }
        try {
            Files.deleteIfExists(file);
            Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
            Files.writeString(file, joinToken() + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    public void stopServer() {
        stop("server", false);
    }

    public boolean serverRunning() {
        return running("server");
    }

    public void startDaemon(int host) {
        spawnDaemon(host);
        awaitDaemonReady(host);
    }

    /** Starts a daemon without waiting for it to be ready (it may be waiting for the server). */
    public void spawnDaemon(int host) {
        List<String> argv = new ArrayList<>(java(Project.daemonJar(), node(host), lan.serverAddress(), "--iface", "eth0",
                "--state-dir", stateDir(host).toString()));
        if (insecure()) {
            argv.add("--insecure");
        } else if (!daemonOptions.contains("--token") && !daemonOptions.contains("--token-file")) {
            // joined before: its state says whom it trusts, and a token of the same cluster changes nothing
            argv.addAll(List.of("--token-file", tokenFile().toString()));
        }
        argv.addAll(daemonOptions);
        spawn("daemon-" + host, lan.host(host), argv);
    }

    /** Where the daemon of a host keeps what it remembers (its cluster's id), across its restarts. */
    public Path stateDir(int host) {
        return logs.resolve("state-h" + host);
    }

    public void awaitDaemonReady(int host) {
        awaitLog("daemon-" + host, "ready; console on");
    }

    /** Kills a daemon at once (SIGKILL), as a crash would. */
    public void killDaemon(int host) {
        stop("daemon-" + host, true);
    }

    /** Stops (SIGSTOP) or resumes (SIGCONT) a daemon's process, as a long pause of a loaded host would. */
    public void pauseDaemon(int host, boolean paused) {
        Process process = processes.get("daemon-" + host);
        if (process == null || !process.isAlive()) {
            throw new IllegalStateException("daemon " + host + " is not running");
        }
        Shell.check("kill", paused ? "-STOP" : "-CONT", Long.toString(process.pid()));
    }

    public void stopDaemon(int host) {
        stop("daemon-" + host, false);
    }

    public boolean daemonRunning(int host) {
        return running("daemon-" + host);
    }

    private boolean running(String name) {
        Process process = processes.get(name);
        return process != null && process.isAlive();
    }

    /**
     * Brings back whatever a test stopped or cut and did not bring back itself (it may have failed half-way):
     * every switch port up, etcd, the server and every daemon running, each waited for. The next test then
     * starts from a whole cluster.
     */
    public void restoreAll() {
        for (int host = 1; host <= lan.hosts(); host++) {
            lan.switchPort(host, true);
        }
        if (!running("etcd")) {
            startEtcd();
        }
        if (!running("server")) {
            startServerOnly();
        }
        for (int host = 1; host <= lan.hosts(); host++) {
            if (!running("daemon-" + host)) {
                startDaemon(host);
            }
        }
    }

    /** Runs the console inside host's namespace: {@code trama ARGS}. */
    public Shell.Result console(int host, String... args) {
        List<String> argv = new ArrayList<>(Shell.in(lan.host(host)));
        argv.addAll(List.of("env", runDirVariable(), "java", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar",
                Project.consoleJar().toString()));
        argv.addAll(List.of(args));
        return Shell.run(argv, 180);
    }

    /** etcdctl on the server host, with the v3 API. */
    public Shell.Result etcdctl(String... args) {
        List<String> argv = new ArrayList<>(Shell.in(lan.serverHost(), "env", "ETCDCTL_API=3", "etcdctl",
                "--endpoints", ETCD_ENDPOINT));
        argv.addAll(List.of(args));
        return Shell.run(argv).check();
    }

    /** Runs a command in a host's namespace. */
    public Shell.Result onHost(int host, String... argv) {
        return lan.exec(lan.host(host), argv);
    }

    private List<String> java(Path jar, String... args) {
        List<String> argv = new ArrayList<>(List.of("env", runDirVariable(), "java", "-XX:+UseSerialGC", "-Xmx192m", "-jar",
                jar.toString()));
        argv.addAll(List.of(args));
        return argv;
    }

    /**
     * Where this cluster's daemons write their consoles' keys and its consoles read them: under its own logs, so
     * that a daemon killed by a test leaves nothing in the machine's /run.
     */
    public String runDirVariable() {
        return "TRAMA_RUN_DIR=" + logs.resolve("run");
    }

    private void spawn(String name, String namespace, List<String> argv) {
        stop(name, true);
        Path log = logs.resolve(name + ".log");
        try {
            Files.writeString(log, START_MARK, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            Process process = new ProcessBuilder(Shell.in(namespace, argv.toArray(String[]::new)))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            Reaper.track(process);
            processes.put(name, process);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + name, e);
        }
    }

    private void stop(String name, boolean kill) {
        Process process = processes.remove(name);
        if (process != null) {
            Reaper.stop(process, kill);
        }
    }

    /** Waits until the named process has logged the text since its last start. */
    public void awaitLog(String name, String text) {
        Path log = logs.resolve(name + ".log");
        awaitStarted(name, "log '" + text + "'", START_TIMEOUT, () -> sinceLastStart(log).contains(text));
    }

    /**
     * Waits for a started process to be ready; fails at once, with the end of its log, if it exits, and
     * with the end of its log if it is not ready in time.
     */
    private void awaitStarted(String name, String readiness, Duration limit, Callable<Boolean> ready) {
        Path log = logs.resolve(name + ".log");
        Process process = processes.get(name);
        try {
            await(name + " to " + readiness).atMost(limit).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        if (ready.call()) {
                            return true;
                        }
                        if (process != null && !process.isAlive()) {
                            throw new IllegalStateException(name + " exited (" + process.exitValue() + ") on "
                                    + lan.prefix() + ": " + tail(log));
                        }
                        return false;
                    });
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException(name + " did not " + readiness + " within " + limit.toSeconds() + " s: "
                    + tail(log), e);
        }
    }

    /** What the process logged since it was last started. */
    public String sinceLastStart(String name) {
        return sinceLastStart(logs.resolve(name + ".log"));
    }

    private static String sinceLastStart(Path log) {
        String content = Logs.read(log);
        int mark = content.lastIndexOf(START_MARK);
        return mark < 0 ? content : content.substring(mark + START_MARK.length());
    }

    public String log(String name) {
        return Logs.read(logs.resolve(name + ".log"));
    }

    /** The last lines of every log of this cluster's processes, for a look at a failure from its output. */
    public String logTails(int lines) {
        StringBuilder tails = new StringBuilder();
        try (var files = Files.list(logs)) {
            for (Path log : files.filter(f -> f.toString().endsWith(".log")).sorted().toList()) {
                tails.append("---- ").append(log).append(" (its end)\n").append(Logs.tail(log, lines));
            }
        } catch (IOException e) {
            tails.append("(cannot list ").append(logs).append(": ").append(e.getMessage()).append(")\n");
        }
        return tails.toString();
    }

    private static String tail(Path log) {
        return Logs.tail(log, Logs.START_FAILURE_LINES);
    }

    @Override
    public void close() {
        for (String name : new ArrayList<>(processes.keySet())) {
            if (name.startsWith("daemon-")) {
                stop(name, false);
            }
        }
        stop("server", false);
        stop("etcd", false);
        lan.close();
        // the logs stay for a look after a failure; etcd's data (64 MiB of preallocated log) does not
        try (var entries = Files.list(logs)) {
            entries.filter(p -> p.getFileName().toString().startsWith("etcd-data")).forEach(EtcdProcess::deleteTree);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
