package dev.trama.server;

import dev.trama.cli.ExitCodes;
import dev.trama.identity.JoinToken;
import dev.trama.server.cluster.ClusterSecrets;
import dev.trama.server.cluster.Keys;
import dev.trama.server.store.EtcdStore;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * Prints the cluster's join token, alone on one line of stdout, making the cluster's id, its servers' keypair
 * and the join secret if there are none yet; with {@code --rotate}, a new secret first.
 */
@Command(name = "join-token", mixinStandardHelpOptions = true,
        description = "Prints the join token a new node needs (trama-daemon --token), alone on one line.")
final class JoinTokenCommand implements Callable<Integer> {

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Mixin
    EtcdOptions etcd;

    @Option(names = "--rotate", description = "replace the secret: nodes that joined keep working, the old token admits no one new")
    boolean rotate;

    @Option(names = "--key-root", paramLabel = "PREFIX", hidden = true, description = "etcd key prefix of the cluster state")
    String keyRoot = Keys.DEFAULT_ROOT;

    @Override
    public Integer call() {
        try (EtcdStore store = etcd.open(Duration.ofSeconds(5))) {
            JoinToken token = new ClusterSecrets(store, new Keys(keyRoot)).joinToken(rotate);
            spec.commandLine().getOut().println(token);
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }
}
