package dev.trama.daemon;

import dev.trama.cli.DurationConverter;
import dev.trama.concurrent.Sleeper;
import dev.trama.cli.ExitCodes;
import dev.trama.daemon.host.HostSockets;
import dev.trama.daemon.host.Ip;
import dev.trama.identity.JoinToken;
import dev.trama.daemon.host.Iptables;
import dev.trama.daemon.host.ProcessRunner;
import dev.trama.daemon.host.Sysctl;
import dev.trama.daemon.network.Firewall;
import dev.trama.daemon.network.NodeNetwork;
import dev.trama.daemon.network.OverlaySettings;
import dev.trama.daemon.runtime.DockerRuntime;
import dev.trama.net.Ipv4;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "trama-daemon", mixinStandardHelpOptions = true, version = "trama-daemon 0.1",
        description = "Joins this host to a Trama cluster, builds its overlay network and runs its containers.")
public final class DaemonMain implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(DaemonMain.class);

    @Parameters(index = "0", paramLabel = "NODE_NAME", description = "this node's name in the cluster")
    String node;

    @Parameters(index = "1", arity = "1", paramLabel = "SERVER_HOST", split = ",",
            description = "the server's host name or IPv4 address; several, comma-separated, for replicated servers")
    List<String> servers;

    @Option(names = "--iface", paramLabel = "IF", description = "LAN interface (default: the default route's, else the first up)")
    String iface;

    @Option(names = "--service-port", paramLabel = "PORT", description = "console port on 127.0.0.1 (default ${DEFAULT-VALUE})")
    int servicePort = 5002;

    @Option(names = "--rep-port", paramLabel = "PORT", description = "server request port (default ${DEFAULT-VALUE})")
    int repPort = 8081;

    @Option(names = "--pub-port", paramLabel = "PORT", description = "server task port (default ${DEFAULT-VALUE})")
    int pubPort = 8080;

    @Option(names = "--pull-port", paramLabel = "PORT", description = "server report port (default ${DEFAULT-VALUE})")
    int pullPort = 8082;

    @Option(names = "--vni", paramLabel = "VNI", description = "VXLAN network identifier (default ${DEFAULT-VALUE})")
    int vni = 42;

    @Option(names = "--group", paramLabel = "ADDR", description = "VXLAN multicast group (default ${DEFAULT-VALUE})")
    String group = "239.1.1.1";

    @Option(names = "--vxlan-port", paramLabel = "PORT", description = "VXLAN UDP port (default ${DEFAULT-VALUE})")
    int vxlanPort = 4789;

    @Option(names = "--docker-host", paramLabel = "URI", description = "Docker Engine (default: DOCKER_HOST, else unix:///var/run/docker.sock)")
    String dockerHost = System.getenv().getOrDefault("DOCKER_HOST", "unix:///var/run/docker.sock");

    @Option(names = "--token", paramLabel = "TOKEN", description = "the cluster's join token, for a first join"
            + " (also TRAMA_JOIN_TOKEN; 'trama-server join-token' prints it)")
    String token;

    @Option(names = "--token-file", paramLabel = "FILE", description = "a file holding the join token")
    Path tokenFile;

    @Option(names = "--insecure", description = "plain text to the server, no keys and no token: for a lab only")
    boolean insecure;

    @Option(names = "--state-dir", paramLabel = "DIR", description = "where the node keeps what it must remember (default ${DEFAULT-VALUE})")
    Path stateDir = DaemonConfig.STATE_DIR;

    @Option(names = "--task-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "how long a console waits for a node to carry out a launch or removal (default 60s)")
    Duration taskTimeout = Duration.ofSeconds(60);

    @Override
    public Integer call() throws Exception {
        ProcessRunner runner = new ProcessRunner(Duration.ofSeconds(30));
        Ip ip = new Ip(runner);
        DaemonConfig config;
        OverlaySettings overlay;
        Lan lan;
        try {
            config = new DaemonConfig(node, servers, repPort, pubPort, pullPort, servicePort, stateDir, taskTimeout,
                    joinToken(), insecure);
            lan = Lan.find(ip, iface);
            overlay = new OverlaySettings(vni, Ipv4.parse(group), vxlanPort, 20, lan.name(), lan.mtu());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        NodeNetwork network = new NodeNetwork(ip, new Firewall(new Iptables(runner)), Sysctl.system(), HostSockets.system(),
                overlay, node);
        Daemon daemon = new Daemon(config, lan, runner, network, new DockerRuntime(dockerHost), Clock.systemUTC(), Sleeper.SYSTEM);
        Runtime.getRuntime().addShutdownHook(new Thread(daemon::close, "shutdown"));
        try {
            daemon.start();
        } catch (MembershipLoop.Refused e) {
            System.err.println("trama-daemon: node '" + node + "' cannot join: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        daemon.awaitExit();
        return ExitCodes.OK;
    }

    /** The join token from --token, --token-file or TRAMA_JOIN_TOKEN, the first given; null when none is. */
    private JoinToken joinToken() {
        if (token != null && tokenFile != null) {
            throw new IllegalArgumentException("give the join token with --token or --token-file, not both");
        }
        if (insecure && (token != null || tokenFile != null)) {
            throw new IllegalArgumentException("an insecure node takes no join token");
        }
        String text = token;
        if (tokenFile != null) {
            try {
                text = Files.readString(tokenFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the join token from " + tokenFile + ": " + e.getMessage());
            }
        }
        if (text == null && !insecure) {
            text = System.getenv("TRAMA_JOIN_TOKEN");
        }
        return text == null || text.isBlank() ? null : JoinToken.parse(text);
    }

    public static void main(String[] args) {
        CommandLine cli = new CommandLine(new DaemonMain());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            log.debug("fatal", e);
            commandLine.getErr().println("trama-daemon: " + e.getMessage());
            return ExitCodes.FAILED;
        });
        System.exit(cli.execute(args));
    }
}
