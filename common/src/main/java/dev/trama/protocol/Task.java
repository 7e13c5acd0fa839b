package dev.trama.protocol;

import java.util.List;
import java.util.Map;

/**
 * Work the server publishes to daemons (PUB 8080). Each is sent on its node's topic
 * ({@link Topics#node(String)}) or on {@link Topics#ALL}. Launch and destroy carry the id of their task,
 * and running one twice has the effect of running it once.
 */
public sealed interface Task {

    @WireName("task.launch")
    record Launch(String taskId, String node, String name, String ip, String gateway, String image,
                  List<PortMapping> ports, Map<String, String> env, List<String> command, ContainerOptions options)
            implements Task {
        public Launch {
            Check.taskId(taskId);
            Check.name(node, "node name");
            Check.name(name, "container name");
            Check.interfaceAddress(ip, "container address");
            Check.address(gateway, "gateway");
            Check.image(image);
            ports = Check.ports(ports);
            env = Check.env(env);
            command = Check.command(command);
            options = ContainerOptions.orDefault(options);
        }

        public Launch(String taskId, String node, String name, String ip, String gateway, String image,
                      List<PortMapping> ports, Map<String, String> env, List<String> command) {
            this(taskId, node, name, ip, gateway, image, ports, env, command, ContainerOptions.DEFAULT);
        }
    }

    @WireName("task.destroy")
    record Destroy(String taskId, String node, String name) implements Task {
        public Destroy {
            Check.taskId(taskId);
            Check.name(node, "node name");
            Check.name(name, "container name");
        }
    }

    /**
     * The cluster's member nodes (registered, not leaving, and not released: a node only shown down still is one),
     * published to all when they change: each node accepts VXLAN from their LAN addresses only, and in unicast
     * mode sends its broadcast frames to each of them.
     */
    @WireName("members.changed")
    record Members(List<Member> members) implements Task {
        public Members {
            members = Check.list(members);
        }

        /** The members' LAN addresses. */
        public List<String> addresses() {
            return members.stream().map(Member::address).toList();
        }
    }

    /**
     * A member node: its name, its LAN address, its bridge's overlay address (with prefix; null until configured),
     * and its LAN interface's MTU (0 until it reported one).
     */
    record Member(String node, String address, String bridgeIp, int lanMtu) {
        public Member {
            Check.name(node, "node name");
            Check.address(address, "member address");
            if (bridgeIp != null) {
                Check.interfaceAddress(bridgeIp, "bridge address of " + node);
            }
            Check.lanMtu(lanMtu);
        }

        public Member(String node, String address, String bridgeIp) {
            this(node, address, bridgeIp, 0);
        }
    }

    /**
     * Asks a node for what one of its containers printed (see {@link ServerRequest.GetLogs}); it answers with a
     * {@link Report.Logs} naming {@code requestId}.
     */
    @WireName("logs.fetch")
    record FetchLogs(String requestId, String node, String name, int tail, String since) implements Task {
        public FetchLogs {
            Check.taskId(requestId);
            Check.name(node, "node name");
            Check.name(name, "container name");
            if (tail < -1 || tail > ServerRequest.GetLogs.MAX_TAIL) {
                throw new IllegalArgumentException("tail out of range");
            }
            since = Check.instant(since, "log time");
        }
    }

    /**
     * The cluster's container names and their overlay addresses (without prefix length), and the node each is on
     * ({@code nodes}, by container name), as of store revision {@code revision}: the whole table, published to all whenever a name comes or goes (and now and then
     * again), so that a node that missed one publication is put right by the next. A node keeps the table of
     * the highest revision it has seen; its resolver answers from it.
     */
    @WireName("names.changed")
    record Names(long revision, Map<String, String> addresses, Map<String, String> nodes) implements Task {
        public Names {
            if (revision < 0) {
                throw new IllegalArgumentException("names revision " + revision + " is negative");
            }
            addresses = Check.names(addresses);
            nodes = Check.placements(nodes, addresses.keySet());
        }

        public Names(long revision, Map<String, String> addresses) {
            this(revision, addresses, Map.of());
        }
    }

    /** Asks every daemon for a metrics report. */
    @WireName("metrics.collect")
    record CollectMetrics() implements Task {
    }
}
