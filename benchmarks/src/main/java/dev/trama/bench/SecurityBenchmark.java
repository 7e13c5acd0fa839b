package dev.trama.bench;

import dev.trama.identity.JoinToken;
import dev.trama.protocol.Request;
import dev.trama.protocol.ServerRequest;
import dev.trama.server.TramaServer;
import dev.trama.server.cluster.ClusterSecrets;
import dev.trama.server.cluster.Keys;
import dev.trama.server.store.EtcdStore;
import dev.trama.testkit.EtcdProcess;
import dev.trama.testkit.TramaCluster;
import dev.trama.transport.CurveKeyPair;
import dev.trama.transport.RequestClient;
import dev.trama.transport.Sockets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * What CURVE costs, secure against --insecure in one run: the latency of requests to a server (p50 and p99 of
 * a heartbeat and of reading the cluster, by a member's client in this process, the server in this process on
 * an etcd of its own), and the time of a launch from a console on two three-host simulated LANs (the console's
 * JVM start included, median of several).
 */
public final class SecurityBenchmark {

    private static final int REQUESTS = 2_000;
    private static final int WARM_UP = 300;
    private static final int LAUNCHES = 5;

    private SecurityBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Instant began = Instant.now();
        System.out.println("| measure | --insecure | secure (CURVE) | ratio |");
        System.out.println("|---|---:|---:|---:|");
        try (EtcdProcess etcd = new EtcdProcess()) {
            for (String kind : List.of("heartbeat", "cluster.get")) {
                // a first pass of each, not reported, so that neither is measured on a colder JVM or etcd
                requests(etcd, true, kind);
                requests(etcd, false, kind);
                List<Double> plain = requests(etcd, true, kind);
                List<Double> curve = requests(etcd, false, kind);
                row(kind + " request, p50", percentile(plain, 50), percentile(curve, 50), "ms");
                row(kind + " request, p99", percentile(plain, 99), percentile(curve, 99), "ms");
            }
        }
        List<Double> plainLaunch = launches(List.of("--insecure"));
        List<Double> curveLaunch = launches(List.of());
        row("`trama run` until the container runs, median of " + LAUNCHES, percentile(plainLaunch, 50),
                percentile(curveLaunch, 50), "s");
        System.out.println();
        System.out.printf(Locale.ROOT, "launches (s): --insecure %s; secure %s. Measured from %s to %s.%n", fmt(plainLaunch),
                fmt(curveLaunch), began.truncatedTo(ChronoUnit.SECONDS), Instant.now().truncatedTo(ChronoUnit.SECONDS));
    }

    /** Milliseconds of each of REQUESTS requests of a kind, one after the other, by a registered member. */
    private static List<Double> requests(EtcdProcess etcd, boolean insecure, String kind) {
        Keys keys = new Keys("/bench-" + System.nanoTime() + "/");
        TramaServer.Config config = TramaServer.Config.of("127.0.0.1", 0, 0, 0);
        try (EtcdStore store = new EtcdStore(List.of(etcd.endpoint()), Duration.ofSeconds(5));
             TramaServer server = TramaServer.start(insecure ? config.insecurely() : config, store, keys)) {
            JoinToken token = new ClusterSecrets(store, keys).joinToken(false);
            try (Sockets sockets = insecure ? Sockets.insecure() : Sockets.curve(CurveKeyPair.generate());
                 RequestClient client = new RequestClient(sockets, List.of("tcp://127.0.0.1:" + server.ports().rep()),
                         insecure ? null : token.serverKey(), Duration.ofSeconds(5), 1, "the server")) {
                client.call(new ServerRequest.RegisterNode("bench", "192.0.2.50", token.clusterId(), token.secret()));
                Request<?> request = kind.equals("heartbeat") ? new ServerRequest.Heartbeat("bench", token.clusterId())
                        : new ServerRequest.GetCluster();
                List<Double> millis = new ArrayList<>();
                for (int i = 0; i < WARM_UP + REQUESTS; i++) {
                    long start = System.nanoTime();
                    client.call(request);
                    if (i >= WARM_UP) {
                        millis.add((System.nanoTime() - start) / 1e6);
                    }
                }
                return millis;
            }
        }
    }

    /** Seconds of each launch from host 1's console onto host 2, on a cluster of its own. */
    private static List<Double> launches(List<String> serverOptions) {
        try (TramaCluster cluster = TramaCluster.start(3, serverOptions)) {
            for (int host = 1; host <= 3; host++) {
                cluster.console(host, "configure", "10.77.0.0/16").check();
            }
            cluster.console(1, "run", cluster.node(2), "warm").check();
            List<Double> seconds = new ArrayList<>();
            for (int i = 0; i < LAUNCHES; i++) {
                long start = System.nanoTime();
                cluster.console(1, "run", cluster.node(2), "c" + i).check();
                seconds.add((System.nanoTime() - start) / 1e9);
            }
            return seconds;
        }
    }

    private static double percentile(List<Double> values, int percent) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int index = (int) Math.ceil(percent / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private static void row(String measure, double plain, double curve, String unit) {
        System.out.printf(Locale.ROOT, "| %s | %.2f %s | %.2f %s | %.2f |%n", measure, plain, unit, curve, unit, curve / plain);
    }

    private static String fmt(List<Double> values) {
        return String.join(" ", values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList());
    }
}
