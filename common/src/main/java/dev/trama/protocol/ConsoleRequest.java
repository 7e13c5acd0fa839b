package dev.trama.protocol;

import dev.trama.protocol.Replies.NodeConfigured;
import dev.trama.protocol.Replies.NodeLeft;
import dev.trama.protocol.Replies.NodeStatus;
import java.util.List;
import java.util.Map;

/** Requests the console sends to its local daemon (REQ → 127.0.0.1:5002). */
public sealed interface ConsoleRequest<R> extends Request<R> permits ServerRequest.GetCluster,
        ServerRequest.GetContainer, ServerRequest.GetTask, ServerRequest.GetLogs, ConsoleRequest.GetStatus, ConsoleRequest.Configure, ConsoleRequest.Run, ConsoleRequest.Remove,
        ConsoleRequest.Leave, ConsoleRequest.Diagnose {

    /** "Are you configured?": the first question of every console session. */
    @WireName("console.status")
    record GetStatus() implements ConsoleRequest<NodeStatus> {
    }

    @WireName("console.configure")
    /** Configures the node for the segment; {@code vxlan} null takes the cluster's mode (multicast for a new one). */
    record Configure(String subnet, VxlanMode vxlan) implements ConsoleRequest<NodeConfigured> {
        public Configure {
            subnet = Check.segment(subnet);
        }

        public Configure(String subnet) {
            this(subnet, null);
        }
    }

    /**
     * Runs a container on a node and answers when it runs there with its address, or failed. {@code taskId}, when
     * the console gives one, names the launch: the console can follow it meanwhile, and a repeated request (its
     * reply lost) is the same launch.
     */
    @WireName("console.run")
    record Run(String node, String name, String image, List<PortMapping> ports, Map<String, String> env,
               List<String> command, ContainerOptions options, String taskId) implements ConsoleRequest<ContainerInfo> {
        public Run {
            if (taskId != null) {
                Check.taskId(taskId);
            }
            Check.name(node, "node name");
            Check.name(name, "container name");
            if (image != null) {
                Check.image(image);
            }
            ports = Check.ports(ports);
            env = Check.env(env);
            command = Check.command(command);
            options = ContainerOptions.orDefault(options);
        }

        public Run(String node, String name, String image, List<PortMapping> ports, Map<String, String> env,
                   List<String> command) {
            this(node, name, image, ports, env, command, ContainerOptions.DEFAULT, null);
        }
    }

    /** Removes a container and answers when it is gone. */
    @WireName("console.rm")
    record Remove(String name) implements ConsoleRequest<ContainerInfo> {
        public Remove {
            Check.name(name, "container name");
        }
    }

    /** What may be wrong with this host's part of the overlay, and how to fix it ({@code trama doctor}). */
    @WireName("console.doctor")
    record Diagnose() implements ConsoleRequest<Replies.Diagnosis> {
    }

    @WireName("console.leave")
    record Leave() implements ConsoleRequest<NodeLeft> {
    }
}
