package dev.trama.console.commands;

import dev.trama.cli.ExitCodes;
import dev.trama.console.DaemonClient;
import dev.trama.protocol.ContainerOptions;
import dev.trama.protocol.PortMapping;
import dev.trama.protocol.Replies.ContainerDetails;
import dev.trama.protocol.ServerRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "inspect", description = "Shows everything the cluster knows of a container.")
public final class InspectCommand extends DaemonCommand {

    @Parameters(index = "0", paramLabel = "NAME", description = "the container's name")
    String name;

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Option(names = "--show-env", description = "show the environment's values (masked otherwise)")
    boolean showEnv;

    @Override
    int run(DaemonClient client) {
        ServerRequest.GetContainer request = valid(() -> new ServerRequest.GetContainer(name, showEnv));
        ContainerDetails details = client.ask(request);
        out(json ? Output.json(asJson(details)) : text(details));
        return ExitCodes.OK;
    }

    /** The contract's object: the details, the environment in name order, the options spelt as on the command line. */
    private static Map<String, Object> asJson(ContainerDetails d) {
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("name", d.name());
        shown.put("node", d.node());
        shown.put("image", d.image());
        shown.put("imageId", d.imageId());
        shown.put("ip", d.ip());
        shown.put("mac", d.mac());
        shown.put("ports", d.ports());
        shown.put("command", d.command());
        shown.put("env", new TreeMap<>(d.env()));
        shown.put("state", d.state());
        shown.put("exitCode", d.exitCode());
        shown.put("restarts", d.restarts());
        shown.put("created", d.created());
        shown.put("started", d.started());
        shown.put("restart", d.options().restart());
        shown.put("memory", d.options().memoryBytes() == 0 ? null : d.options().memoryBytes());
        shown.put("cpus", d.options().nanoCpus() == 0 ? null : d.options().nanoCpus() / 1e9);
        return shown;
    }

    private static String text(ContainerDetails d) {
        Map<String, String> rows = new LinkedHashMap<>();
        rows.put("Name", d.name());
        rows.put("Node", d.node());
        rows.put("State", d.state().toString());
        rows.put("Image", d.image() + (d.imageId() == null ? "" : " (" + d.imageId() + ")"));
        rows.put("Address", d.ip());
        rows.put("MAC", orDash(d.mac()));
        rows.put("Ports", d.ports().isEmpty() ? "-" : d.ports().stream().map(PortMapping::toString).collect(Collectors.joining(", ")));
        rows.put("Command", d.command().isEmpty() ? "(the image's)" : String.join(" ", d.command()));
        rows.put("Environment", d.env().isEmpty() ? "-" : new TreeMap<>(d.env()).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" ")));
        rows.put("Restart policy", d.options().restart().toString());
        rows.put("Memory limit", orDash(ContainerOptions.memoryText(d.options().memoryBytes())));
        rows.put("CPU limit", orDash(ContainerOptions.cpusText(d.options().nanoCpus())));
        rows.put("Restarts", Integer.toString(d.restarts()));
        rows.put("Created", orDash(d.created()));
        rows.put("Started", orDash(d.started()));
        int width = rows.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
        StringBuilder text = new StringBuilder();
        rows.forEach((key, value) -> text.append(String.format("%-" + width + "s%s%n", key + ":", value)));
        return text.toString();
    }

    private static String orDash(String value) {
        return value == null || value.isEmpty() ? "-" : value;
    }
}
