package dev.trama.protocol;

import java.util.List;

/** What daemons push to the server (PUSH → 8082); nothing is answered. */
public sealed interface Report {

    /** A node's load, and the containers running on it that the cluster does not know ({@code strays}). */
    @WireName("report.metrics")
    record Metrics(String node, double cpuPercent, long freeMemMb, long totalMemMb, List<String> strays, int lanMtu)
            implements Report {
        public Metrics {
            Check.name(node, "node name");
            strays = Check.list(strays);
            strays.forEach(name -> Check.name(name, "container name"));
            if (!(cpuPercent >= 0 && cpuPercent <= 100) || freeMemMb < 0 || totalMemMb < 0) {
                throw new IllegalArgumentException("metrics out of range");
            }
            Check.lanMtu(lanMtu);
        }

        public Metrics(String node, double cpuPercent, long freeMemMb, long totalMemMb, List<String> strays) {
            this(node, cpuPercent, freeMemMb, totalMemMb, strays, 0);
        }

        public Metrics(String node, double cpuPercent, long freeMemMb, long totalMemMb) {
            this(node, cpuPercent, freeMemMb, totalMemMb, List.of());
        }
    }

    /**
     * A container as its node's engine last saw it, sent when that changes (and after the node registers
     * again). {@code taskId} is the launch that made it; the server keeps a report only for that launch.
     */
    @WireName("report.container")
    record ContainerObserved(String node, String name, String taskId, ContainerStatus status, int restarts,
                             String imageId, String mac, String created, String started) implements Report {
        public ContainerObserved {
            Check.name(node, "node name");
            Check.name(name, "container name");
            Check.taskId(taskId);
            if (status == null || !status.state().isObserved()) {
                throw new IllegalArgumentException("a container's observed state is running, exited, restarting or created");
            }
            if (restarts < 0) {
                throw new IllegalArgumentException("a restart count is never negative");
            }
            imageId = Check.imageId(imageId);
            mac = Check.mac(mac);
            created = Check.instant(created, "creation time");
            started = Check.instant(started, "start time");
        }
    }

    /** How far the node is in pulling the image of a launch: sent at most twice a second while it pulls. */
    @WireName("report.progress")
    record TaskProgress(String taskId, String node, PullProgress progress) implements Report {
        public TaskProgress {
            Check.taskId(taskId);
            Check.name(node, "node name");
            if (progress == null) {
                throw new IllegalArgumentException("progress is required");
            }
        }
    }

    /** A node's answer to {@link Task.FetchLogs}: lines of one of its containers. */
    @WireName("report.logs")
    record Logs(String requestId, String node, String name, List<LogLine> lines, boolean running, boolean more)
            implements Report {
        public Logs {
            Check.taskId(requestId);
            Check.name(node, "node name");
            Check.name(name, "container name");
            lines = Check.list(lines);
            if (lines.size() > Replies.Logs.MAX_LINES) {
                throw new IllegalArgumentException("too many log lines in one report");
            }
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
