package dev.trama.server;

/**
 * Whether this server does the cluster's periodic work (task and node sweeps). The work is idempotent, so
 * for now every server does it; with several servers, an etcd election will make one of them lead.
 */
@FunctionalInterface
public interface Leadership {

    Leadership ALWAYS = () -> true;

    boolean leads();
}
