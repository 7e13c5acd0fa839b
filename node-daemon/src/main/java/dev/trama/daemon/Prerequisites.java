package dev.trama.daemon;

import dev.trama.daemon.host.CommandException;
import dev.trama.daemon.host.CommandRunner;
import dev.trama.daemon.runtime.ContainerRuntime;
import dev.trama.daemon.runtime.RuntimeFailure;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;
import java.util.List;

/** What a node needs before it can be configured: iproute2, iptables and a Docker Engine that answers. */
final class Prerequisites {

    private final CommandRunner runner;
    private final ContainerRuntime runtime;
    private final String node;

    Prerequisites(CommandRunner runner, ContainerRuntime runtime, String node) {
        this.runner = runner;
        this.runtime = runtime;
        this.node = node;
    }

    void check() {
        command(List.of("ip", "-V"), "the 'ip' command (iproute2)");
        command(List.of("iptables", "-V"), "the 'iptables' command");
        command(List.of("nsenter", "-V"), "the 'nsenter' command (util-linux)");
        try {
            runtime.ping();
        } catch (RuntimeFailure e) {
            throw new TramaException(ErrorCode.NOT_CONFIGURED, "node '" + node + "' cannot be configured: " + e.getMessage());
        }
    }

    private void command(List<String> argv, String what) {
        try {
            runner.check(argv);
        } catch (CommandException e) {
            throw new TramaException(ErrorCode.NOT_CONFIGURED,
                    "node '" + node + "' cannot be configured: " + what + " is missing or does not work");
        }
    }
}
