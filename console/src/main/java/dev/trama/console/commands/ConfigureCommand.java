package dev.trama.console.commands;

import dev.trama.cli.ExitCodes;
import dev.trama.console.DaemonClient;
import dev.trama.protocol.ConsoleRequest;
import dev.trama.protocol.Replies.NodeConfigured;
import dev.trama.protocol.VxlanMode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "configure", description = "Sets this node up on the overlay segment CIDR (e.g. 10.10.0.0/16); the first "
        + "node sets the segment and the VXLAN mode for the cluster.")
public final class ConfigureCommand extends DaemonCommand {

    @Parameters(paramLabel = "CIDR", description = "the cluster's overlay segment, /8 to /28")
    String cidr;

    @Option(names = "--vxlan", paramLabel = "MODE", description = "multicast (default for a new cluster) or unicast "
            + "(no multicast on the LAN); a later node takes the cluster's")
    String vxlan;

    @Override
    int run(DaemonClient client) {
        ConsoleRequest.Configure request = valid(() -> new ConsoleRequest.Configure(cidr,
                vxlan == null ? null : VxlanMode.parse(vxlan)));
        NodeConfigured configured = act(client, request, "configuring this node on " + request.subnet());
        out("node " + configured.node() + " configured: segment " + configured.subnet() + ", bridge " + configured.bridgeIp()
                + ", " + configured.vxlan() + " VXLAN");
        return ExitCodes.OK;
    }
}
