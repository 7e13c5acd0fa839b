package dev.trama.server;

import dev.trama.cli.DurationConverter;
import dev.trama.cli.ExitCodes;
import dev.trama.protocol.TramaException;
import dev.trama.server.cluster.Keys;
import dev.trama.server.store.EtcdStore;
import dev.trama.server.store.EtcdTlsException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "trama-server", mixinStandardHelpOptions = true, version = "trama-server 0.1",
        description = "Keeps the cluster state of a Trama overlay in etcd and coordinates its node daemons.",
        subcommands = JoinTokenCommand.class)
public final class ServerMain implements Callable<Integer> {

    private static final Logger log = LoggerFactory.getLogger(ServerMain.class);

    @Parameters(index = "0", arity = "0..1", paramLabel = "REP_PORT", description = "request port (default ${DEFAULT-VALUE})")
    int repPort = TramaServer.Config.REP_PORT;

    @Parameters(index = "1", arity = "0..1", paramLabel = "PUB_PORT", description = "task publication port (default ${DEFAULT-VALUE})")
    int pubPort = TramaServer.Config.PUB_PORT;

    @Parameters(index = "2", arity = "0..1", paramLabel = "PULL_PORT", description = "report port (default ${DEFAULT-VALUE})")
    int pullPort = TramaServer.Config.PULL_PORT;

    @Mixin
    EtcdOptions etcd;

    @Option(names = "--bind", paramLabel = "ADDR", description = "address to listen on (default ${DEFAULT-VALUE})")
    String bind = "0.0.0.0";

    @Option(names = "--node-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "a node silent this long is shown down and takes no launches; nothing else changes (default 2s)")
    Duration nodeTimeout = TramaServer.Config.NODE_TIMEOUT;

    @Option(names = "--release-after", paramLabel = "DURATION", converter = DurationConverter.OrZero.class,
            description = "a node down this long has its containers and addresses released (default 60s; 0 releases at once)")
    Duration releaseAfter = TramaServer.Config.RELEASE_AFTER;

    @Option(names = "--task-timeout", paramLabel = "DURATION", converter = DurationConverter.class,
            description = "a launch or removal its node has not confirmed by then fails (default 45s)")
    Duration taskTimeout = TramaServer.Config.TASK_TIMEOUT;

    @Option(names = "--insecure", description = "plain text on every port, and nodes believed on their word: for a lab only")
    boolean insecure;

    @Option(names = "--key-root", paramLabel = "PREFIX", hidden = true, description = "etcd key prefix of the cluster state")
    String keyRoot = Keys.DEFAULT_ROOT;

    @Option(names = "--metrics-interval", paramLabel = "DURATION", converter = DurationConverter.class, hidden = true)
    Duration metricsInterval = Duration.ofSeconds(10);

    @Override
    public Integer call() throws InterruptedException {
        TramaServer.Config config;
        Keys keys;
        try {
            config = new TramaServer.Config(bind, repPort, pubPort, pullPort, metricsInterval, nodeTimeout, releaseAfter,
                    taskTimeout, insecure);
            keys = new Keys(keyRoot);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(new CommandLine(this), e.getMessage());
        }
        // shorter than a daemon's wait for a reply, so that "store unavailable" reaches the user as such
        EtcdStore store = etcd.open(Duration.ofSeconds(2));
        TramaServer server;
        try {
            server = startWhenStoreAnswers(config, store, keys);
        } catch (RuntimeException | InterruptedException e) {
            store.close();
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping");
            server.close();
            store.close();
            stopped.countDown();
        }, "shutdown"));
        stopped.await();
        return ExitCodes.OK;
    }

    /**
     * etcd may come up after the server: wait for it rather than fail. An etcd that is there but refuses
     * our TLS, or wants TLS we do not speak, will not change its mind: that ends the server, as do other errors.
     */
    private TramaServer startWhenStoreAnswers(TramaServer.Config config, EtcdStore store, Keys keys) throws InterruptedException {
        while (true) {
            try {
                return TramaServer.start(config, store, keys);
            } catch (EtcdTlsException e) {
                throw e;
            } catch (TramaException e) {
                log.warn("{}; retrying in 2 s", e.getMessage());
                Thread.sleep(2_000);
            }
        }
    }

    public static void main(String[] args) {
        SLF4JBridgeHandler.removeHandlersForRootLogger();
        SLF4JBridgeHandler.install();
        System.exit(commandLine().execute(args));
    }

    /** The command as {@link #main} runs it: a failure is one line on stderr and exit status 1. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new ServerMain());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("trama-server: " + e.getMessage());
            return ExitCodes.FAILED;
        });
        return cli;
    }
}
