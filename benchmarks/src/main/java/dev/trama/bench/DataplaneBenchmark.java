package dev.trama.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trama.testkit.Shell;
import dev.trama.testkit.TramaCluster;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The overlay's data path against the LAN under it, on a two-host simulated LAN in one run: TCP
 * throughput (iperf3) and ping RTT container → container across hosts against host → host; and the time
 * from a daemon receiving a launch task to the container answering a ping from the other host, against a
 * plain {@code docker run -d} of the same image; and a name lookup from a container by Trama's resolver against
 * the same answered by the container's /etc/hosts ({@link NameLookups}). Medians of several rounds (percentiles
 * for the lookups), printed as Markdown.
 */
public final class DataplaneBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROUNDS = 5;
    private static final String IMAGE = "trama/base:latest";

    private final TramaCluster cluster;

    private DataplaneBenchmark(TramaCluster cluster) {
        this.cluster = cluster;
    }

    /** With the argument {@code names}, only the name lookups are measured. */
    public static void main(String[] args) throws Exception {
        boolean namesOnly = List.of(args).contains("names");
        try (TramaCluster cluster = TramaCluster.start(2)) {
            DataplaneBenchmark benchmark = new DataplaneBenchmark(cluster);
            if (namesOnly) {
                benchmark.names();
            } else {
                benchmark.run();
            }
        }
    }

    /** Only the name lookups, on one container. */
    private void names() {
        console(1, "configure", "10.77.0.0/16");
        String a = runContainer(1, "bench-a");
        printNames(NameLookups.measure(id(1, "bench-a"), "bench-a", a));
        console(1, "rm", "bench-a");
    }

    private static void printNames(NameLookups.Result names) {
        System.out.println("| measure | name in the container's /etc/hosts | name from Trama's resolver | resolver − hosts |");
        System.out.println("|---|---:|---:|---:|");
        String what = "lookup + `ping -c 1` of itself, µs (" + names.lookups() + " each)";
        System.out.printf(Locale.ROOT, "| %s, p50 | %.0f | %.0f | %.0f |%n", what, names.hostsP50(), names.resolverP50(),
                names.resolverP50() - names.hostsP50());
        System.out.printf(Locale.ROOT, "| %s, p99 | %.0f | %.0f | %.0f |%n", what, names.hostsP99(), names.resolverP99(),
                names.resolverP99() - names.hostsP99());
        System.out.println();
    }

    private void run() throws Exception {
        console(1, "configure", "10.77.0.0/16");
        console(2, "configure", "10.77.0.0/16");
        String a = runContainer(1, "bench-a");
        String b = runContainer(2, "bench-b");
        long pidA = pid(1, "bench-a");
        long pidB = pid(2, "bench-b");
        String hostB = cluster.lan().hostAddress(2);

        List<Double> lanGbit = new ArrayList<>();
        List<Double> overlayGbit = new ArrayList<>();
        List<Double> lanRtt = new ArrayList<>();
        List<Double> overlayRtt = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            lanGbit.add(iperf(hostNs(2), hostNs(1), hostB));
            overlayGbit.add(iperf(containerNs(pidB), containerNs(pidA), b));
            lanRtt.add(pingRtt(hostNs(1), hostB));
            overlayRtt.add(pingRtt(containerNs(pidA), b));
        }

        NameLookups.Result names = NameLookups.measure(id(1, "bench-a"), "bench-a", a);

        List<Double> launchToPing = new ArrayList<>();
        List<Double> dockerRun = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            launchToPing.add(launchToPing(round));
            dockerRun.add(dockerRunSeconds());
        }

        System.out.println("| measure | host → host (LAN) | container → container (overlay) | overlay / LAN |");
        System.out.println("|---|---:|---:|---:|");
        row("TCP throughput, Gbit/s (iperf3, 5 s, median of " + ROUNDS + ")", median(lanGbit), median(overlayGbit), 2);
        row("ping RTT, ms (50 pings, median of " + ROUNDS + " averages)", median(lanRtt), median(overlayRtt), 3);
        System.out.println();
        System.out.println("| measure | plain `docker run -d` | Trama launch → ping from the other host | Trama / docker |");
        System.out.println("|---|---:|---:|---:|");
        row("seconds (median of " + ROUNDS + ")", median(dockerRun), median(launchToPing), 3);
        System.out.println();
        printNames(names);
        System.out.println("rounds: LAN Gbit/s " + fmt(lanGbit, 2) + "; overlay Gbit/s " + fmt(overlayGbit, 2)
                + "; LAN RTT ms " + fmt(lanRtt, 3) + "; overlay RTT ms " + fmt(overlayRtt, 3)
                + "; docker run s " + fmt(dockerRun, 3) + "; launch to ping s " + fmt(launchToPing, 3));
        console(1, "rm", "bench-a");
        console(1, "rm", "bench-b");
    }

    private List<String> hostNs(int host) {
        return Shell.in(cluster.lan().host(host));
    }

    private static List<String> containerNs(long pid) {
        return List.of("nsenter", "-t", Long.toString(pid), "-n");
    }

    private double iperf(List<String> serverSide, List<String> clientSide, String serverAddress) throws Exception {
        List<String> server = new ArrayList<>(serverSide);
        server.addAll(List.of("iperf3", "-s", "-1", "-p", "5201"));
        Process listener = new ProcessBuilder(server).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            Thread.sleep(500);
            List<String> client = new ArrayList<>(clientSide);
            client.addAll(List.of("iperf3", "-c", serverAddress, "-p", "5201", "-t", "5", "-J"));
            JsonNode result = JSON.readTree(Shell.run(client, 60).check().out());
            return result.path("end").path("sum_received").path("bits_per_second").asDouble() / 1e9;
        } finally {
            listener.destroyForcibly().waitFor();
        }
    }

    private static double pingRtt(List<String> from, String address) {
        List<String> argv = new ArrayList<>(from);
        argv.addAll(List.of("ping", "-q", "-c", "50", "-i", "0.01", address));
        Matcher m = Pattern.compile("= [0-9.]+/([0-9.]+)/").matcher(Shell.run(argv, 60).check().out());
        if (!m.find()) {
            throw new IllegalStateException("no RTT in ping's output");
        }
        return Double.parseDouble(m.group(1));
    }

    /** From the daemon's log line of receiving the task to the first ping answered from the other host. */
    private double launchToPing(int round) throws Exception {
        String name = "launch-" + round;
        Process run = new ProcessBuilder(consoleArgv(1, "run", cluster.node(1), name)).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String address = awaitAddress(name);
        long answered;
        while (true) {
            Shell.Result ping = cluster.onHost(2, "ping", "-c", "1", "-W", "0.05", address);
            if (ping.ok()) {
                answered = System.currentTimeMillis();
                break;
            }
        }
        run.waitFor();
        long received = receivedAt(name);
        console(1, "rm", name);
        return (answered - received) / 1000.0;
    }

    private String awaitAddress(String name) throws InterruptedException {
        for (int i = 0; i < 2_000; i++) {
            Shell.Result labels = Shell.run("docker", "ps", "-q", "--filter", "label=trama.name=" + name);
            if (!labels.out().isBlank()) {
                return Shell.check("docker", "inspect", "-f", "{{index .Config.Labels \"trama.ip\"}}", labels.out().strip())
                        .out().strip().replaceAll("/.*", "");
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("container " + name + " did not appear");
    }

    private long receivedAt(String name) {
        Matcher m = Pattern.compile("(\\d{2}:\\d{2}:\\d{2}\\.\\d{3}) .*launch of " + Pattern.quote(name) + " received")
                .matcher(cluster.log("daemon-1"));
        if (!m.find()) {
            throw new IllegalStateException("the daemon did not log the launch of " + name);
        }
        LocalDateTime at = LocalDateTime.of(LocalDate.now(), LocalTime.parse(m.group(1)));
        return at.atZone(ZoneId.systemDefault()).toInstant().toEpochMilli();
    }

    private static double dockerRunSeconds() {
        long began = System.nanoTime();
        String id = Shell.check("docker", "run", "-d", "--network", "none", "--label", "trama.bench=1", IMAGE).out().strip();
        double seconds = (System.nanoTime() - began) / 1e9;
        Shell.run("docker", "rm", "-f", id);
        return seconds;
    }

    private String runContainer(int host, String name) {
        Shell.Result run = console(1, "run", cluster.node(host), name);
        return run.out().strip().replaceAll(".* at ", "").replaceAll("/.*", "");
    }

    private long pid(int host, String name) {
        return Long.parseLong(Shell.check("docker", "inspect", "-f", "{{.State.Pid}}", id(host, name)).out().strip());
    }

    private String id(int host, String name) {
        return Shell.check("docker", "ps", "-q", "--filter", "label=trama.node=" + cluster.node(host),
                "--filter", "label=trama.name=" + name).out().strip();
    }

    private Shell.Result console(int host, String... args) {
        return Shell.run(consoleArgv(host, args), 180).check();
    }

    private List<String> consoleArgv(int host, String... args) {
        // the console finds its daemon's keys where the test cluster's daemons write them
        List<String> argv = new ArrayList<>(Shell.in(cluster.lan().host(host), "env", cluster.runDirVariable(), "java",
                "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar",
                TramaCluster.projectRoot().resolve("console/target/trama-console.jar").toString()));
        argv.addAll(List.of(args));
        return argv;
    }

    private static void row(String measure, double base, double trama, int digits) {
        String format = "%." + digits + "f";
        System.out.printf(Locale.ROOT, "| %s | " + format + " | " + format + " | %.2f |%n", measure, base, trama, trama / base);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String fmt(List<Double> values, int digits) {
        return String.join(" ", values.stream().map(v -> String.format(Locale.ROOT, "%." + digits + "f", v)).toList());
    }

}
