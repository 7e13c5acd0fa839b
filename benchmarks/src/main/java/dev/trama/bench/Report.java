package dev.trama.bench;

import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/** The measurements as Markdown: one row per scenario, then the ratios against the baseline of the same run. */
final class Report {

    private final List<Measurement> measurements;
    private final List<Integer> inUse;
    private final List<Integer> clients;
    private final StringBuilder out = new StringBuilder();

    Report(List<Measurement> measurements) {
        this.measurements = List.copyOf(measurements);
        this.inUse = distinct(m -> m.scenario().inUse());
        this.clients = distinct(m -> m.scenario().clients());
    }

    String markdown() {
        results();
        againstBaseline();
        fromFewToMany();
        firstAllocation();
        return out.toString();
    }

    private void results() {
        line("| allocator | in use | clients | allocations | allocations/s | round trips / allocation | duplicates |");
        line("|---|---:|---:|---:|---:|---:|---:|");
        for (Measurement m : measurements) {
            Scenario s = m.scenario();
            line("| %s | %s | %d | %d | %s | %s | %d |", s.strategy().label(), count(s.inUse()), s.clients(),
                    s.allocations(), decimal(m.allocationsPerSecond()), decimal(m.roundTripsPerAllocation()), m.duplicates());
        }
    }

    private void againstBaseline() {
        line("");
        line("Ipam against the baseline, allocations/s (higher is better):");
        line("");
        header("in use", clients.stream().map(c -> c + (c == 1 ? " client" : " clients")).toList());
        for (int used : inUse) {
            StringBuilder row = new StringBuilder("| " + count(used) + " |");
            for (int c : clients) {
                row.append(' ').append(ratio(find(Strategy.IPAM, used, c).allocationsPerSecond()
                        / find(Strategy.PROBING, used, c).allocationsPerSecond())).append(" |");
            }
            line(row.toString());
        }
    }

    private void fromFewToMany() {
        int few = inUse.get(0);
        int many = inUse.get(inUse.size() - 1);
        line("");
        line("From %s to %s addresses in use, each allocator against itself:", count(few), count(many));
        line("");
        header("allocator", List.of("clients", "allocations/s", "round trips / allocation"));
        for (Strategy strategy : Strategy.values()) {
            for (int c : clients) {
                Measurement from = find(strategy, few, c);
                Measurement to = find(strategy, many, c);
                line("| %s | %d | %s | %s → %s |", strategy.label(), c,
                        ratio(to.allocationsPerSecond() / from.allocationsPerSecond()),
                        decimal(from.roundTripsPerAllocation()), decimal(to.roundTripsPerAllocation()));
            }
        }
    }

    private void firstAllocation() {
        line("");
        line("One-off cost of a fresh Ipam, left out above: its first allocation lists the addresses in use and starts a watch.");
        line("");
        header("in use", List.of("clients", "first allocation", "round trips"));
        for (int used : inUse) {
            for (int c : clients) {
                Measurement m = find(Strategy.IPAM, used, c);
                line("| %s | %d | %s ms | %s |", count(used), c, decimal(m.warmUpNanos() / 1e6), decimal(m.warmUpRoundTrips()));
            }
        }
    }

    private Measurement find(Strategy strategy, int used, int clientCount) {
        return measurements.stream()
                .filter(m -> m.scenario().strategy() == strategy && m.scenario().inUse() == used
                        && m.scenario().clients() == clientCount)
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no measurement of " + strategy.label() + " at "
                        + used + " in use with " + clientCount + " clients"));
    }

    private List<Integer> distinct(Function<Measurement, Integer> field) {
        return measurements.stream().map(field).distinct().sorted().toList();
    }

    private void header(String first, List<String> others) {
        line("| " + first + " | " + String.join(" | ", others) + " |");
        line("|---" + "|---:".repeat(others.size()) + "|");
    }

    private void line(String format, Object... args) {
        out.append(String.format(Locale.ROOT, format, args)).append('\n');
    }

    /** A whole number with spaces between thousands, e.g. 10 000. */
    static String count(double value) {
        return String.format(Locale.ROOT, "%,.0f", value).replace(',', ' ');
    }

    /** Whole numbers from 100 up, three digits below, two significant ones below 1: 10 006, 41.5, 5.65, 0.0028. */
    static String decimal(double value) {
        if (value >= 100) {
            return count(value);
        }
        return String.format(Locale.ROOT, value >= 10 ? "%.1f" : value >= 1 ? "%.2f" : "%.2g", value);
    }

    static String ratio(double value) {
        return "×" + decimal(value);
    }
}
