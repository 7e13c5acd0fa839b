package dev.trama.console.commands;

import dev.trama.cli.ExitCodes;
import dev.trama.console.DaemonClient;
import dev.trama.protocol.ConsoleRequest;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.PortMapping;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", description = "Runs a container on a node and waits until it runs there with its address.")
public final class RunCommand extends DaemonCommand {

    @Parameters(index = "0", paramLabel = "NODE", description = "the node to run it on")
    String node;

    @Parameters(index = "1", paramLabel = "NAME", description = "the container's name, unique in the cluster")
    String name;

    @Parameters(index = "2..*", paramLabel = "CMD", description = "command and arguments (after --)")
    List<String> command = new ArrayList<>();

    @Option(names = "--image", paramLabel = "IMG", description = "image (default trama/base:latest)")
    String image;

    @Option(names = {"-p", "--publish"}, paramLabel = "HOST_PORT:CONTAINER_PORT[/tcp|/udp]",
            description = "publish a container port on the node's LAN address (repeatable), e.g. 8080:80 or 5353:53/udp")
    List<String> publish = new ArrayList<>();

    @Option(names = {"-e", "--env"}, paramLabel = "KEY=VALUE", description = "set an environment variable")
    List<String> env = new ArrayList<>();

    @Override
    int run(DaemonClient client) {
        ConsoleRequest.Run request = valid(() -> {
            List<PortMapping> ports = publish.stream().map(PortMapping::parse).toList();
            return new ConsoleRequest.Run(node, name, image, ports, environment(), command);
        });
        ContainerInfo container = act(client, request, "launching " + name + " on " + node);
        out(container.name() + " running on " + container.node() + " at " + container.ip());
        return ExitCodes.OK;
    }

    private Map<String, String> environment() {
        Map<String, String> variables = new LinkedHashMap<>();
        for (String pair : env) {
            int equals = pair.indexOf('=');
            if (equals <= 0) {
                throw new IllegalArgumentException("environment variable '" + pair + "' is not KEY=VALUE");
            }
            variables.put(pair.substring(0, equals), pair.substring(equals + 1));
        }
        return variables;
    }
}
