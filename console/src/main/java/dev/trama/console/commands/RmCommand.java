package dev.trama.console.commands;

import dev.trama.cli.ExitCodes;
import dev.trama.console.DaemonClient;
import dev.trama.protocol.ConsoleRequest;
import dev.trama.protocol.ContainerInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "rm", description = "Removes a container from its node and waits until it is gone.")
public final class RmCommand extends DaemonCommand {

    @Parameters(paramLabel = "NAME", description = "the container to remove")
    String name;

    @Override
    int run(DaemonClient client) {
        ConsoleRequest.Remove request = valid(() -> new ConsoleRequest.Remove(name));
        ContainerInfo removed = act(client, request, "removing " + name);
        out(removed.name());
        return ExitCodes.OK;
    }
}
