package dev.trama.bench;

import dev.trama.testkit.EtcdProcess;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Allocations per second and etcd round trips per allocation of the project's allocator and of the
 * original probing one, at 0, 1 000 and 10 000 addresses already in use in a /16, with 1 and 8
 * concurrent clients, against an etcd of its own. Results go to stdout as Markdown, progress to stderr.
 */
public final class IpamBenchmark {

    private static final List<Integer> IN_USE = List.of(0, 1_000, 10_000);
    private static final List<Integer> CLIENTS = List.of(1, 8);

    private IpamBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        EtcdProcess etcd = new EtcdProcess();
        Runtime.getRuntime().addShutdownHook(new Thread(etcd::close, "etcd-teardown"));
        ScenarioRunner runner = new ScenarioRunner(etcd.endpoint());

        progress("warming up the JVM and etcd (not reported)");
        for (int clients : CLIENTS) {
            runner.run(new Scenario(Strategy.IPAM, 0, clients, 800));
            runner.run(new Scenario(Strategy.PROBING, 0, clients, 80));
        }

        double loadAtStart = load();
        long began = System.nanoTime();
        List<Measurement> measurements = new ArrayList<>();
        for (Scenario scenario : plan()) {
            Measurement m = runner.run(scenario);
            progress("%s, %s in use, %d client(s): %s allocations/s, %s round trips each", scenario.strategy().label(),
                    Report.count(scenario.inUse()), scenario.clients(), Report.decimal(m.allocationsPerSecond()),
                    Report.decimal(m.roundTripsPerAllocation()));
            measurements.add(m);
        }
        System.out.printf("IPAM allocation in %s, measured in %.0f s up to %s (%d processors, Java %s,"
                        + " load average %.2f at the start, %.2f at the end)%n%n",
                ScenarioRunner.SEGMENT, (System.nanoTime() - began) / 1e9, Instant.now().truncatedTo(ChronoUnit.SECONDS),
                Runtime.getRuntime().availableProcessors(), Runtime.version(), loadAtStart, load());
        System.out.print(new Report(measurements).markdown());
    }

    /** Every strategy at every point, the two strategies of a point measured one after the other. */
    static List<Scenario> plan() {
        List<Scenario> plan = new ArrayList<>();
        for (int inUse : IN_USE) {
            for (int clients : CLIENTS) {
                for (Strategy strategy : Strategy.values()) {
                    plan.add(new Scenario(strategy, inUse, clients, allocations(strategy, inUse)));
                }
            }
        }
        return plan;
    }

    /**
     * Ipam makes 400 allocations at every point. The baseline reads every address in use on each
     * allocation, so it makes fewer where that is slow, to keep the run to a few minutes: 80 on an empty
     * segment, 40 at 1 000 in use, 8 at 10 000 (one per client with 8 clients).
     */
    static int allocations(Strategy strategy, int inUse) {
        if (strategy == Strategy.IPAM) {
            return 400;
        }
        return inUse == 0 ? 80 : inUse <= 1_000 ? 40 : 8;
    }

    private static double load() {
        return ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
    }

    private static void progress(String format, Object... args) {
        System.err.printf(format + "%n", args);
    }
}
