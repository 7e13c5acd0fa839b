package dev.trama.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trama.testkit.Shell;
import dev.trama.testkit.TramaCluster;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Many consoles on several hosts at once: 100 launches spread over three nodes, four at a time from the
 * console of each host, then a third of them removed the same way. Every launch succeeds, every address
 * is unique, and the cluster view, Docker and etcd agree.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(900)
class ConcurrencyIT {

    private static final int HOSTS = 3;
    private static final int LAUNCHES = 100;
    private static final int PER_HOST = 4;

    private TramaCluster cluster;

    @BeforeAll
    void startCluster() {
        cluster = TramaCluster.start(HOSTS);
        for (int host = 1; host <= HOSTS; host++) {
            assertThat(cluster.console(host, "configure", "10.47.0.0/16").exitCode()).isZero();
        }
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void concurrentLaunchesAndRemovalsEndConsistent() throws Exception {
        List<ExecutorService> consoles = new ArrayList<>();
        List<Future<Shell.Result>> runs = new ArrayList<>();
        for (int host = 1; host <= HOSTS; host++) {
            consoles.add(Executors.newFixedThreadPool(PER_HOST));
        }
        try {
            for (int i = 0; i < LAUNCHES; i++) {
                int from = i % HOSTS + 1;
                int on = (i / HOSTS) % HOSTS + 1;
                String name = "k" + i;
                runs.add(consoles.get(from - 1).submit(() -> cluster.console(from, "run", cluster.node(on), name)));
            }
            for (Future<Shell.Result> run : runs) {
                Shell.Result result = run.get();
                assertThat(result.exitCode()).as(result.err()).isZero();
            }
            Set<Consistency.Placement> placed = new Consistency(cluster).assertConsistent(HOSTS);
            assertThat(placed).hasSize(LAUNCHES);

            List<Future<Shell.Result>> removals = new ArrayList<>();
            for (int i = 0; i < LAUNCHES; i += 3) {
                int from = i % HOSTS + 1;
                String name = "k" + i;
                removals.add(consoles.get(from - 1).submit(() -> cluster.console(from, "rm", name)));
            }
            for (Future<Shell.Result> removal : removals) {
                Shell.Result result = removal.get();
                assertThat(result.exitCode()).as(result.err()).isZero();
            }
            assertThat(new Consistency(cluster).assertConsistent(HOSTS)).hasSize(LAUNCHES - removals.size());
        } finally {
            consoles.forEach(ExecutorService::shutdownNow);
        }
    }
}
