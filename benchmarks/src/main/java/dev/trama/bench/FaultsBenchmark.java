package dev.trama.bench;

import dev.trama.testkit.CpuLoad;
import dev.trama.testkit.Shell;
import dev.trama.testkit.TramaCluster;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * How fast the cluster notices a failure and what a failure costs, on two three-host simulated LANs run side
 * by side: one with the former behaviour as baseline (a node shown down after 5 s and released at once), one
 * with today's defaults (shown down after 2 s, released after 60 s). Medians of several rounds: a node killed
 * (SIGKILL) to {@code down}; the containers lost across an 8 s blip of a host's switch port; the nodes shown
 * down while both cores are busy for five minutes. Then, on today's cluster: a daemon restarted with 50
 * containers on its host against one with none, and the server restarted against a request while all is up.
 */
public final class FaultsBenchmark {

    private static final int ROUNDS = 5;
    private static final int CONTAINERS = 50;
    private static final int ON_BLIPPED_HOST = 3;
    private static final long BLIP_MS = 8_000;
    private static final long LOAD_MS = 5 * 60_000;

    private final TramaCluster before;
    private final TramaCluster now;

    private FaultsBenchmark(TramaCluster before, TramaCluster now) {
        this.before = before;
        this.now = now;
    }

    public static void main(String[] args) throws InterruptedException {
        try (TramaCluster before = TramaCluster.start(3, List.of("--node-timeout", "5s", "--release-after", "0"));
             TramaCluster now = TramaCluster.start(3)) {
            new FaultsBenchmark(before, now).run();
        }
    }

    private void run() throws InterruptedException {
        configure(before, "10.78.0.0/16");
        configure(now, "10.79.0.0/16");
        List<Double> downBefore = new ArrayList<>();
        List<Double> downNow = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            downBefore.add(killedToDown(before, round));
            downNow.add(killedToDown(now, round));
        }
        int lostBefore = lostAcrossABlip(before);
        int lostNow = lostAcrossABlip(now);
        int[] falseDowns = falseDownsUnderLoad();

        List<Double> emptyRestart = new ArrayList<>();
        List<Double> fullRestart = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            emptyRestart.add(restart(2));
        }
        for (int i = 0; i < CONTAINERS; i++) {
            now.console(1, "run", now.node(1), "held" + i).check();
        }
        for (int round = 0; round < ROUNDS; round++) {
            fullRestart.add(restart(1));
            long attached = Shell.run(Shell.in(now.lan().host(1), "ip", "-o", "link", "show", "master", "trama0"))
                    .out().lines().filter(l -> l.contains(": trv")).count();
            if (attached != CONTAINERS) {
                throw new IllegalStateException("after the restart " + attached + " containers are attached, not " + CONTAINERS);
            }
        }
        List<Double> answering = new ArrayList<>();
        List<Double> serverRestart = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            long asked = System.nanoTime();
            now.console(1, "ps").check();
            answering.add(seconds(asked));
            now.stopServer();
            long started = System.nanoTime();
            now.startServerOnly();
            await(() -> now.console(1, "ps").ok());
            serverRestart.add(seconds(started));
        }

        System.out.println("| measure | baseline | Trama | ratio |");
        System.out.println("|---|---:|---:|---:|");
        row("node killed → shown down (baseline: shown down after 5 s)", median(downBefore), median(downNow));
        System.out.printf(Locale.ROOT, "| containers lost across an 8 s switch-port blip, of %d on the host (baseline:"
                + " released at once) | %d | %d | — |%n", ON_BLIPPED_HOST, lostBefore, lostNow);
        System.out.printf(Locale.ROOT, "| nodes shown down, 3 nodes, both cores busy for 5 min (baseline: 5 s timeout) |"
                + " %d | %d | — |%n", falseDowns[0], falseDowns[1]);
        row("daemon restarted → ready, " + CONTAINERS + " containers on the host (baseline: none)", median(emptyRestart),
                median(fullRestart));
        row("server restarted → `trama ps` answers (baseline: `trama ps` with all up)", median(answering), median(serverRestart));
        System.out.println();
        System.out.println("rounds (s): to down, baseline " + fmt(downBefore) + ", Trama " + fmt(downNow)
                + "; daemon restart, empty " + fmt(emptyRestart) + ", with " + CONTAINERS + " " + fmt(fullRestart)
                + "; ps " + fmt(answering) + "; server restart to answer " + fmt(serverRestart));
    }

    private static void configure(TramaCluster cluster, String segment) {
        for (int host = 1; host <= 3; host++) {
            cluster.console(host, "configure", segment).check();
        }
    }

    /** Seconds from killing host 3's daemon to etcd no longer holding its alive/ key; then it is started again. */
    private static double killedToDown(TramaCluster cluster, int round) {
        cluster.console(1, "run", cluster.node(3), "victim" + round).check();
        long killed = System.nanoTime();
        cluster.killDaemon(3);
        await(() -> !etcd(cluster, "/trama/v1/alive/" + cluster.node(3)).contains(cluster.node(3)));
        double seconds = seconds(killed);
        cluster.startDaemon(3);
        await(() -> etcd(cluster, "/trama/v1/nodes/" + cluster.node(3)).contains("\"bridgeIp\":\"10.7"));
        return seconds;
    }

    /**
     * Host 2's switch port down for 8 s with containers on it, then up; once the node is up and its daemon has
     * settled, how many of those containers are gone (from Docker, or replaced by another one).
     */
    private static int lostAcrossABlip(TramaCluster cluster) throws InterruptedException {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < ON_BLIPPED_HOST; i++) {
            cluster.console(1, "run", cluster.node(2), "blip" + i).check();
            ids.add(id(cluster, 2, "blip" + i));
        }
        cluster.lan().switchPort(2, false);
        Thread.sleep(BLIP_MS);
        cluster.lan().switchPort(2, true);
        await(() -> !cluster.console(1, "nodes", "--json").out().contains("\"status\" : \"down\""));
        // settled: Docker and the cluster agree on the host's containers
        await(() -> {
            String viewed = cluster.console(1, "ps").out();
            return ids.stream().allMatch(id -> {
                String name = "blip" + ids.indexOf(id);
                boolean inDocker = !Shell.run("docker", "ps", "-q", "--filter", "id=" + id).out().isBlank();
                return inDocker == viewed.contains(name + " ");
            });
        });
        int lost = 0;
        for (String id : ids) {
            if (Shell.run("docker", "ps", "-q", "--filter", "id=" + id).out().isBlank()) {
                lost++;
            }
        }
        return lost;
    }

    /** Both cores busy for five minutes while both clusters run: the "is down" events each server logged. */
    private int[] falseDownsUnderLoad() throws InterruptedException {
        int beforeLog = before.sinceLastStart("server").length();
        int nowLog = now.sinceLastStart("server").length();
        try (CpuLoad load = CpuLoad.start()) {
            Thread.sleep(LOAD_MS);
        }
        return new int[] {downEvents(before.sinceLastStart("server").substring(beforeLog)),
                downEvents(now.sinceLastStart("server").substring(nowLog))};
    }

    private static int downEvents(String log) {
        return (int) log.lines().filter(l -> l.contains(" is down")).count();
    }

    /** Seconds from killing a daemon to it being ready again (registered, converged, serving its console). */
    private double restart(int host) {
        now.killDaemon(host);
        long started = System.nanoTime();
        now.startDaemon(host);
        return seconds(started);
    }

    private static String id(TramaCluster cluster, int host, String name) {
        return Shell.check("docker", "ps", "-aq", "--filter", "label=trama.node=" + cluster.node(host),
                "--filter", "label=trama.name=" + name).out().strip();
    }

    private static String etcd(TramaCluster cluster, String prefix) {
        return cluster.etcdctl("get", "--prefix", prefix).out();
    }

    private static void await(BooleanSupplier condition) {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("a condition did not hold within 120 s");
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static void row(String measure, double base, double trama) {
        System.out.printf(Locale.ROOT, "| %s | %.2f s | %.2f s | %.2f |%n", measure, base, trama, trama / base);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static String fmt(List<Double> values) {
        return String.join(" ", values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
    }
}
