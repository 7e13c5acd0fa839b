package dev.trama.bench;

/** One point of the benchmark: who allocates, how many addresses are in use already, how many clients at once. */
record Scenario(Strategy strategy, int inUse, int clients, int allocations) {

    Scenario {
        if (clients < 1) {
            throw new IllegalArgumentException("a scenario needs at least one client, not " + clients);
        }
        if (allocations % clients != 0) {
            throw new IllegalArgumentException(allocations + " allocations do not split evenly over " + clients + " clients");
        }
    }

    int allocationsPerClient() {
        return allocations / clients;
    }
}
