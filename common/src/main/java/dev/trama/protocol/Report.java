package dev.trama.protocol;

import java.util.List;

/** What daemons push to the server (PUSH → 8082); nothing is answered. */
public sealed interface Report {

    /** A node's load, and the containers running on it that the cluster does not know ({@code strays}). */
    @WireName("report.metrics")
    record Metrics(String node, double cpuPercent, long freeMemMb, long totalMemMb, List<String> strays) implements Report {
        public Metrics {
            Check.name(node, "node name");
            strays = Check.list(strays);
            strays.forEach(name -> Check.name(name, "container name"));
            if (!(cpuPercent >= 0 && cpuPercent <= 100) || freeMemMb < 0 || totalMemMb < 0) {
                throw new IllegalArgumentException("metrics out of range");
            }
        }

        public Metrics(String node, double cpuPercent, long freeMemMb, long totalMemMb) {
            this(node, cpuPercent, freeMemMb, totalMemMb, List.of());
        }
    }

    /** The outcome of a task on its node: {@code ok}, or failed with the node's error in {@code message}. */
    @WireName("report.task")
    record TaskOutcome(String taskId, String node, boolean ok, String message) implements Report {
        public TaskOutcome {
            Check.taskId(taskId);
            Check.name(node, "node name");
            message = Check.text(message);
        }
    }
}
