package dev.trama.bench;

import dev.trama.testkit.Shell;
import dev.trama.testkit.TramaCluster;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * How fast the cluster notices and recovers, on a three-host simulated LAN, medians of several rounds:
 * a node killed (SIGKILL) to {@code down} and to its addresses being free, against the node timeout; a
 * daemon restarted with 50 containers on its host to ready and converged, against one with none; the
 * server restarted to the cluster answering again, against a request while all is up.
 */
public final class FaultsBenchmark {

    private static final int ROUNDS = 5;
    private static final int CONTAINERS = 50;
    private static final String NODE_TIMEOUT = "5s";

    private final TramaCluster cluster;

    private FaultsBenchmark(TramaCluster cluster) {
        this.cluster = cluster;
    }

    public static void main(String[] args) {
        try (TramaCluster cluster = TramaCluster.start(3, List.of("--node-timeout", NODE_TIMEOUT))) {
            new FaultsBenchmark(cluster).run();
        }
    }

    private void run() {
        for (int host = 1; host <= 3; host++) {
            cluster.console(host, "configure", "10.78.0.0/16").check();
        }
        List<Double> toDown = new ArrayList<>();
        List<Double> toFree = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            cluster.console(1, "run", cluster.node(3), "victim" + round).check();
            long killed = System.nanoTime();
            cluster.killDaemon(3);
            await(() -> !etcd("/trama/v1/alive/" + cluster.node(3)).contains(cluster.node(3)));
            toDown.add(seconds(killed));
            await(() -> !etcd("/trama/v1/ips/").contains("\"node\":\"" + cluster.node(3) + "\""));
            toFree.add(seconds(killed));
            cluster.startDaemon(3);
            await(() -> etcd("/trama/v1/nodes/" + cluster.node(3)).contains("\"bridgeIp\":\"10.78."));
        }

        List<Double> emptyRestart = new ArrayList<>();
        List<Double> fullRestart = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            emptyRestart.add(restart(2));
        }
        for (int i = 0; i < CONTAINERS; i++) {
            cluster.console(1, "run", cluster.node(1), "held" + i).check();
        }
        for (int round = 0; round < ROUNDS; round++) {
            fullRestart.add(restart(1));
            long attached = Shell.run(Shell.in(cluster.lan().host(1), "ip", "-o", "link", "show", "master", "trama0"))
                    .out().lines().filter(l -> l.contains(": trv")).count();
            if (attached != CONTAINERS) {
                throw new IllegalStateException("after the restart " + attached + " containers are attached, not " + CONTAINERS);
            }
        }

        List<Double> answering = new ArrayList<>();
        List<Double> serverRestart = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            long asked = System.nanoTime();
            cluster.console(1, "ps").check();
            answering.add(seconds(asked));
            cluster.stopServer();
            long started = System.nanoTime();
            cluster.startServerOnly();
            await(() -> cluster.console(1, "ps").ok());
            serverRestart.add(seconds(started));
        }

        System.out.println("| measure | baseline | Trama | ratio |");
        System.out.println("|---|---:|---:|---:|");
        row("node killed → shown down (baseline: the node timeout)", 5.0, median(toDown));
        row("node killed → its addresses free (baseline: the node timeout)", 5.0, median(toFree));
        row("daemon restarted → ready, " + CONTAINERS + " containers on the host (baseline: none)", median(emptyRestart),
                median(fullRestart));
        row("server restarted → `trama ps` answers (baseline: `trama ps` with all up)", median(answering), median(serverRestart));
        System.out.println();
        System.out.println("rounds (s): to down " + fmt(toDown) + "; to free " + fmt(toFree) + "; daemon restart, empty "
                + fmt(emptyRestart) + "; with " + CONTAINERS + " " + fmt(fullRestart) + "; ps " + fmt(answering)
                + "; server restart to answer " + fmt(serverRestart));
    }

    /** Seconds from killing a daemon to it being ready again (registered, converged, serving its console). */
    private double restart(int host) {
        pause(2_000);
        cluster.killDaemon(host);
        long started = System.nanoTime();
        cluster.startDaemon(host);
        return seconds(started);
    }

    private static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String etcd(String prefix) {
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
