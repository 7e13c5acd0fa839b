package dev.trama.bench;

/**
 * What one scenario measured: the wall time and store round trips of its allocations, the addresses
 * handed out more than once, and the mean cost of each client's warm-up (its first allocation, for a
 * strategy that keeps state).
 */
record Measurement(Scenario scenario, long nanos, long roundTrips, int duplicates, long warmUpNanos,
        double warmUpRoundTrips) {

    double allocationsPerSecond() {
        return scenario.allocations() * 1e9 / nanos;
    }

    double roundTripsPerAllocation() {
        return (double) roundTrips / scenario.allocations();
    }
}
