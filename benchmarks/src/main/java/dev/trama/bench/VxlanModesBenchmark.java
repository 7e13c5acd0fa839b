package dev.trama.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.trama.testkit.Shell;
import dev.trama.testkit.TramaCluster;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Unicast against multicast VXLAN, in one run: the same two-host simulated LAN built twice, once per mode, the
 * multicast one the baseline. For each: TCP throughput (iperf3) and ping RTT container → container across
 * hosts, the time from {@code trama run} to the container's first answer to a ping from the other host, and what
 * crossed the switch while 50 containers were launched (10 at a time, half on each host) and each was pinged once
 * by a container on host 1, its first packet an ARP request: VXLAN datagrams and multicast frames, counted by
 * ebtables rules in the switch's namespace, less what crosses it in a quiet window of the same length right after
 * (the daemons' path probes, and in multicast mode their beacons), so that what is left is what the launches and
 * their first contact caused. Medians of several rounds, printed as Markdown.
 */
public final class VxlanModesBenchmark {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ROUNDS = 3;
    private static final int BURST = 50;
    private static final List<String> COUNT_VXLAN = List.of("FORWARD", "-p", "IPv4", "--ip-proto", "udp", "--ip-dport", "4789",
            "-j", "CONTINUE");
    private static final List<String> COUNT_MULTICAST = List.of("FORWARD", "-d", "01:00:5e:00:00:00/ff:ff:ff:80:00:00",
            "-j", "CONTINUE");

    /** One mode's results. */
    private record Result(double gbit, double rttMs, double launchToReply, long vxlanFrames, long multicastFrames) {
    }

    public static void main(String[] args) throws Exception {
        Result multicast = measure("multicast");
        Result unicast = measure("unicast");
        System.out.println("| measure | multicast (baseline) | unicast | unicast / multicast |");
        System.out.println("|---|---:|---:|---:|");
        row("TCP throughput container → container, Gbit/s (iperf3, 3 s, median of " + ROUNDS + ")", multicast.gbit(),
                unicast.gbit(), 2);
        row("ping RTT container → container, ms (50 pings, median of " + ROUNDS + " averages)", multicast.rttMs(),
                unicast.rttMs(), 3);
        row("`trama run` to first reply from the other host, s (median of " + ROUNDS + ")", multicast.launchToReply(),
                unicast.launchToReply(), 3);
        row("VXLAN datagrams through the switch caused by " + BURST + " containers starting and pinged once each"
                + " (less a quiet window)", multicast.vxlanFrames(), unicast.vxlanFrames(), 0);
        row("multicast frames through the switch caused by them", multicast.multicastFrames(), unicast.multicastFrames(), 0);
    }

    private static Result measure(String mode) throws Exception {
        try (TramaCluster cluster = TramaCluster.start(2)) {
            Modes bench = new Modes(cluster);
            return bench.run(mode);
        }
    }

    private static final class Modes {
        private final TramaCluster cluster;

        Modes(TramaCluster cluster) {
            this.cluster = cluster;
        }

        Result run(String mode) throws Exception {
            console(1, "configure", "10.78.0.0/16", "--vxlan", mode);
            console(2, "configure", "10.78.0.0/16");
            String a = address(console(1, "run", cluster.node(1), "bench-a"));
            String b = address(console(1, "run", cluster.node(2), "bench-b"));
            long pidA = pid("bench-a");
            long pidB = pid("bench-b");
            List<Double> gbit = new ArrayList<>();
            List<Double> rtt = new ArrayList<>();
            List<Double> launch = new ArrayList<>();
            for (int round = 0; round < ROUNDS; round++) {
                gbit.add(iperf(pidB, pidA, b));
                rtt.add(pingRtt(pidA, b));
                launch.add(launchToReply(round));
            }
            // what the switch carries while containers come: counted from here on
            String sw = cluster.lan().switchNamespace();
            ebtables(sw, "-A", COUNT_VXLAN);
            ebtables(sw, "-A", COUNT_MULTICAST);
            long burstBegan = System.nanoTime();
            ExecutorService launches = Executors.newFixedThreadPool(10);
            List<Future<Shell.Result>> started = new ArrayList<>();
            for (int i = 0; i < BURST; i++) {
                int host = 1 + i % 2;
                String name = "burst-" + i;
                started.add(launches.submit(() -> Shell.run(consoleArgv(1, "run", cluster.node(host), name), 300)));
            }
            for (Future<Shell.Result> launched : started) {
                String address = address(launched.get().check());
                // the first contact with each: an ARP request, then the echo
                Shell.run(List.of("nsenter", "-t", Long.toString(pidA), "-n", "ping", "-c", "1", "-W", "2", address), 30).check();
            }
            launches.shutdown();
            long burstNanos = System.nanoTime() - burstBegan;
            long vxlan = packets(sw, COUNT_VXLAN);
            long multicast = packets(sw, COUNT_MULTICAST);
            // the same length of time with nothing launched: what crosses anyway
            Thread.sleep(burstNanos / 1_000_000);
            long quietVxlan = packets(sw, COUNT_VXLAN) - vxlan;
            long quietMulticast = packets(sw, COUNT_MULTICAST) - multicast;
            System.err.printf(Locale.ROOT, "%s: Gbit/s %s; RTT ms %s; run to reply s %s; burst of %.1f s: %d VXLAN, %d multicast"
                    + " frames; as long quiet: %d VXLAN, %d multicast%n", mode, gbit, rtt, launch, burstNanos / 1e9, vxlan,
                    multicast, quietVxlan, quietMulticast);
            return new Result(median(gbit), median(rtt), median(launch), Math.max(0, vxlan - quietVxlan),
                    Math.max(0, multicast - quietMulticast));
        }

        private void ebtables(String namespace, String verb, List<String> rule) {
            List<String> argv = new ArrayList<>(List.of("ebtables", verb));
            argv.addAll(rule);
            Shell.run(Shell.in(namespace, argv.toArray(String[]::new))).check();
        }

        /** The packet counter of one of the switch's rules. */
        private long packets(String namespace, List<String> rule) {
            String listing = Shell.run(Shell.in(namespace, "ebtables", "-L", "FORWARD", "--Lc")).check().out();
            String match = String.join(" ", rule.subList(1, rule.size()));
            for (String line : listing.split("\n")) {
                Matcher m = Pattern.compile(", pcnt = ([0-9]+)").matcher(line);
                if (normalized(line).startsWith(normalized(match)) && m.find()) {
                    return Long.parseLong(m.group(1));
                }
            }
            throw new IllegalStateException("no counter for " + match + " in\n" + listing);
        }

        private static String normalized(String rule) {
            return rule.replace("01:00:5e:00:00:00", "1:0:5e:0:0:0").replace("ff:ff:ff:80:00:00", "ff:ff:ff:80:0:0")
                    .replace("-p IPv4", "-p IPv4").toLowerCase(Locale.ROOT);
        }

        private double launchToReply(int round) throws Exception {
            String name = "launch-" + round;
            long began = System.nanoTime();
            Process run = new ProcessBuilder(consoleArgv(1, "run", cluster.node(1), name)).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            String address = awaitAddress(name);
            while (!cluster.onHost(2, "ping", "-c", "1", "-W", "0.05", address).ok()) {
                Thread.onSpinWait();
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            run.waitFor();
            console(1, "rm", name);
            return seconds;
        }

        private String awaitAddress(String name) throws InterruptedException {
            for (int i = 0; i < 4_000; i++) {
                Shell.Result found = Shell.run("docker", "ps", "-q", "--filter", "label=trama.name=" + name);
                if (!found.out().isBlank()) {
                    return Shell.check("docker", "inspect", "-f", "{{index .Config.Labels \"trama.ip\"}}", found.out().strip())
                            .out().strip().replaceAll("/.*", "");
                }
                Thread.sleep(5);
            }
            throw new IllegalStateException("container " + name + " did not appear");
        }

        private double iperf(long serverPid, long clientPid, String serverAddress) throws Exception {
            Process listener = new ProcessBuilder(List.of("nsenter", "-t", Long.toString(serverPid), "-n", "iperf3", "-s", "-1",
                    "-p", "5201")).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            try {
                Thread.sleep(500);
                JsonNode result = JSON.readTree(Shell.run(List.of("nsenter", "-t", Long.toString(clientPid), "-n", "iperf3", "-c",
                        serverAddress, "-p", "5201", "-t", "3", "-J"), 60).check().out());
                return result.path("end").path("sum_received").path("bits_per_second").asDouble() / 1e9;
            } finally {
                listener.destroyForcibly().waitFor();
            }
        }

        private static double pingRtt(long pid, String address) {
            Matcher m = Pattern.compile("= [0-9.]+/([0-9.]+)/").matcher(Shell.run(List.of("nsenter", "-t", Long.toString(pid), "-n",
                    "ping", "-q", "-c", "50", "-i", "0.01", address), 60).check().out());
            if (!m.find()) {
                throw new IllegalStateException("no RTT in ping's output");
            }
            return Double.parseDouble(m.group(1));
        }

        private long pid(String name) {
            String id = Shell.check("docker", "ps", "-q", "--filter", "label=trama.name=" + name).out().strip();
            return Long.parseLong(Shell.check("docker", "inspect", "-f", "{{.State.Pid}}", id).out().strip());
        }

        private static String address(Shell.Result run) {
            return run.out().strip().replaceAll(".* at ", "").replaceAll("/.*", "");
        }

        private Shell.Result console(int host, String... args) {
            return Shell.run(consoleArgv(host, args), 180).check();
        }

        private List<String> consoleArgv(int host, String... args) {
            List<String> argv = new ArrayList<>(Shell.in(cluster.lan().host(host), "env", cluster.runDirVariable(), "java",
                    "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar",
                    TramaCluster.projectRoot().resolve("console/target/trama-console.jar").toString()));
            argv.addAll(List.of(args));
            return argv;
        }
    }

    private static void row(String measure, double base, double other, int digits) {
        String format = "%." + digits + "f";
        System.out.printf(Locale.ROOT, "| %s | " + format + " | " + format + " | %s |%n", measure, base, other,
                base == 0 ? "-" : String.format(Locale.ROOT, "%.2f", other / base));
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
