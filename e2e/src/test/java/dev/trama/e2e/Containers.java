package dev.trama.e2e;

import dev.trama.testkit.Shell;
import dev.trama.testkit.TramaCluster;
import java.util.ArrayList;
import java.util.List;

/** Reaching into the containers of a test cluster through the shared Docker Engine. */
final class Containers {

    private final TramaCluster cluster;

    Containers(TramaCluster cluster) {
        this.cluster = cluster;
    }

    /** The Docker id of a Trama container on a node, or "" when there is none. */
    String id(int host, String name) {
        return Shell.check("docker", "ps", "-aq", "--filter", "label=trama.node=" + cluster.node(host),
                "--filter", "label=trama.name=" + name).out().strip();
    }

    List<String> idsOfNode(int host) {
        String out = Shell.check("docker", "ps", "-aq", "--filter", "label=trama.node=" + cluster.node(host)).out().strip();
        return out.isEmpty() ? List.of() : List.of(out.split("\\s+"));
    }

    long pid(int host, String name) {
        return Long.parseLong(Shell.check("docker", "inspect", "-f", "{{.State.Pid}}", id(host, name)).out().strip());
    }

    Shell.Result exec(int host, String name, String... command) {
        List<String> argv = new ArrayList<>(List.of("docker", "exec", id(host, name)));
        argv.addAll(List.of(command));
        return Shell.run(argv, 60);
    }

    /** Runs a command of this machine (e.g. iputils ping) inside the container's network namespace only. */
    Shell.Result inNetns(int host, String name, String... command) {
        List<String> argv = new ArrayList<>(List.of("nsenter", "-t", Long.toString(pid(host, name)), "-n"));
        argv.addAll(List.of(command));
        return Shell.run(argv, 60);
    }

    boolean ping(int host, String name, String address) {
        return exec(host, name, "ping", "-c", "1", "-W", "3", address).ok();
    }
}
