package dev.trama.console.commands;

import dev.trama.cli.ExitCodes;
import dev.trama.concurrent.Threads;
import dev.trama.console.ConsoleMain;
import dev.trama.console.DaemonClient;
import dev.trama.console.progress.Progress;
import dev.trama.console.progress.StderrTerminal;
import dev.trama.protocol.ConsoleRequest;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.ContainerOptions;
import dev.trama.protocol.PortMapping;
import dev.trama.protocol.PullProgress;
import dev.trama.protocol.RestartPolicy;
import dev.trama.protocol.ServerRequest;
import dev.trama.protocol.TramaException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
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

    @Option(names = "--restart", paramLabel = "POLICY",
            description = "restart policy: no (default), on-failure[:N], always, unless-stopped")
    String restart;

    @Option(names = "--memory", paramLabel = "SIZE", description = "memory limit, e.g. 64m or 1g")
    String memory;

    @Option(names = "--cpus", paramLabel = "N", description = "CPU limit, e.g. 0.5")
    String cpus;

    private ConsoleRequest.Run request;

    @Override
    void check() {
        request = valid(() -> {
            List<PortMapping> ports = publish.stream().map(PortMapping::parse).toList();
            ContainerOptions options = new ContainerOptions(restart == null ? RestartPolicy.NO : RestartPolicy.parse(restart),
                    memory == null ? 0 : ContainerOptions.parseMemory(memory), cpus == null ? 0 : ContainerOptions.parseCpus(cpus));
            return new ConsoleRequest.Run(node, name, image, ports, environment(), command, options,
                    UUID.randomUUID().toString());
        });
    }

    /**
     * Launches and waits. On a terminal the progress line also shows how far the node is in pulling the image
     * (followed on a second connection while the first waits), and a pull that happened is said once it is done,
     * as {@code docker run} does; piped output gets the result line only.
     */
    @Override
    int run(DaemonClient client) {
        ContainerInfo container;
        try (Progress progress = StderrTerminal.progress(spec.commandLine().getErr(), "launching " + name + " on " + node);
             PullFollower follower = progress.shown() ? new PullFollower(root, request, progress) : null) {
            container = client.act(request);
        }
        if (StderrTerminal.present()) {
            saidIfPulled(client, container);
        }
        out(container.name() + " " + container.state() + " on " + container.node() + " at " + container.ip());
        return ExitCodes.OK;
    }

    private void saidIfPulled(DaemonClient client, ContainerInfo container) {
        PullProgress pulled;
        try {
            pulled = client.ask(new ServerRequest.GetTask(request.taskId())).progress();
        } catch (TramaException e) {
            return; // the launch is done: how its image came is only a courtesy
        }
        if (pulled != null) {
            spec.commandLine().getErr().println("pulled " + container.image() + ": " + pulled);
            spec.commandLine().getErr().flush();
        }
    }

    /** Asks, a few times a second on a connection of its own, how far the launch's pull is, for the progress line. */
    private static final class PullFollower implements AutoCloseable {
        private static final long EVERY_MS = 300;
        private final Thread thread;

        PullFollower(ConsoleMain root, ConsoleRequest.Run launch, Progress progress) {
            String image = launch.image() == null ? "the image" : launch.image();
            thread = Threads.named("trama-pull").newThread(() -> {
                try (DaemonClient client = root.client()) {
                    while (!Thread.currentThread().isInterrupted()) {
                        Thread.sleep(EVERY_MS);
                        try {
                            PullProgress now = client.ask(new ServerRequest.GetTask(launch.taskId())).progress();
                            if (now != null) {
                                progress.detail("pulling " + image + ": " + now);
                            }
                        } catch (TramaException e) {
                            // not recorded yet, or the server away for a moment: the next ask may do
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            thread.start();
        }

        @Override
        public void close() {
            thread.interrupt();
        }
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
