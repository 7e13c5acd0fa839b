package dev.trama.bench;

import dev.trama.testkit.Shell;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Name lookup latency from inside a container: one {@code ping -c 1} of the container's own address by a name
 * its node's resolver answers (its Trama name, through the search domain), against the same by a name its own
 * {@code /etc/hosts} holds. Each sample is timed in the container's shell ({@code $EPOCHREALTIME}), so it
 * includes starting ping and its one echo to itself; the two differ only in where the name is answered. Rounds
 * alternate between the two so that both see the same machine.
 */
final class NameLookups {

    /** Percentiles of each way, in microseconds. */
    record Result(int lookups, double resolverP50, double resolverP99, double hostsP50, double hostsP99) {
    }

    private static final int ROUNDS = 10;
    private static final int PER_ROUND = 50;
    private static final int WARM_UP = 20;

    private NameLookups() {
    }

    static Result measure(String containerId, String name, String address) {
        String alias = name + "-hosts";
        Shell.check("docker", "exec", containerId, "sh", "-c", "grep -q ' " + alias + "$' /etc/hosts || echo '" + address + " "
                + alias + "' >> /etc/hosts");
        timed(containerId, name, WARM_UP);
        timed(containerId, alias, WARM_UP);
        List<Double> resolver = new ArrayList<>();
        List<Double> hosts = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            resolver.addAll(timed(containerId, name, PER_ROUND));
            hosts.addAll(timed(containerId, alias, PER_ROUND));
        }
        return new Result(resolver.size(), percentile(resolver, 50), percentile(resolver, 99), percentile(hosts, 50),
                percentile(hosts, 99));
    }

    /** Microseconds of each of {@code count} lookups (and pings) of the name, as the container's shell times them. */
    private static List<Double> timed(String containerId, String name, int count) {
        String script = "i=0; while [ $i -lt " + count + " ]; do t0=$EPOCHREALTIME; "
                + "ping -c 1 -W 1 -q " + name + " >/dev/null 2>&1 || echo failed; "
                + "t1=$EPOCHREALTIME; echo \"$t0 $t1\"; i=$((i+1)); done";
        String out = Shell.run(List.of("docker", "exec", containerId, "sh", "-c", script), 300).check().out();
        List<Double> micros = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            if (line.contains("failed")) {
                throw new IllegalStateException("a lookup of " + name + " failed in container " + containerId);
            }
            String[] times = line.strip().split(" ");
            micros.add((Double.parseDouble(times[1]) - Double.parseDouble(times[0])) * 1e6);
        }
        return micros;
    }

    /** The nearest-rank percentile. */
    static double percentile(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}
