package dev.trama.console.menu;

import dev.trama.console.Tables;
import dev.trama.protocol.ClusterView;
import dev.trama.protocol.ConsoleRequest;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.NodeInfo;
import dev.trama.protocol.PortMapping;
import java.util.List;
import java.util.Map;

/** Option 1: shows the cluster, asks where and what to run, runs it and says where it runs. */
final class LaunchContainer {

    private final Screen screen;
    private final Prompter prompter;
    private final Waiting waiting;
    private final Daemon daemon;
    private final String localNode;

    LaunchContainer(Screen screen, Prompter prompter, Waiting waiting, Daemon daemon, String localNode) {
        this.screen = screen;
        this.prompter = prompter;
        this.waiting = waiting;
        this.daemon = daemon;
        this.localNode = localNode;
    }

    void launch() {
        ClusterView view = daemon.cluster();
        screen.println(Tables.info(view, screen.width()));
        List<String> nodes = view.nodes().stream().map(NodeInfo::name).toList();
        String offered = nodes.contains(localNode) ? localNode : null;
        String node = prompter.ask("Node", offered, nodes, answer -> Answers.node(answer, offered, nodes));
        String name = prompter.ask("Container name", null, List.of(), answer -> Answers.newContainer(answer, view.containers()));
        String image = prompter.ask("Image (optional)", null, List.of(), Answers::image);
        List<PortMapping> ports = prompter.ask("Published ports, e.g. 8080:80 (optional)", null, List.of(), Answers::ports);
        ConsoleRequest.Run request = new ConsoleRequest.Run(node, name, image, ports, Map.of(), List.of());
        ContainerInfo container = waiting.on("launching " + name + " on " + node, () -> daemon.run(request));
        screen.println(container.name() + " running on " + container.node() + " at " + container.ip());
    }
}
