package dev.trama.server;

import dev.trama.server.store.EtcdStore;
import dev.trama.server.store.EtcdTls;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * How a command reaches etcd: its endpoints and, for an etcd that checks client certificates, the CA
 * that signed etcd's certificate and this client's certificate and key. The three files come together
 * or not at all, with https:// endpoints only. A picocli mixin for every command of the server that
 * opens the store.
 */
public final class EtcdOptions {

    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    @Option(names = "--etcd", split = ",", paramLabel = "URL", defaultValue = "http://127.0.0.1:2379",
            description = "etcd endpoints, comma-separated (default ${DEFAULT-VALUE})")
    List<String> endpoints;

    @ArgGroup(exclusive = false, multiplicity = "0..1", heading = "TLS to etcd (all three, with https:// endpoints):%n")
    TlsFiles tls;

    static final class TlsFiles {
        @Option(names = "--etcd-cacert", paramLabel = "FILE", required = true,
                description = "CA certificate (PEM) that signed etcd's certificate")
        Path caCert;

        @Option(names = "--etcd-cert", paramLabel = "FILE", required = true,
                description = "client certificate (PEM) that etcd's --trusted-ca-file accepts")
        Path cert;

        @Option(names = "--etcd-key", paramLabel = "FILE", required = true,
                description = "private key (PEM, PKCS#8) of the client certificate")
        Path key;
    }

    /**
     * Opens the store, each call waiting at most {@code timeout}. Endpoints that do not fit the TLS
     * options are a usage error; a TLS file that cannot be used, an IllegalArgumentException naming it.
     */
    public EtcdStore open(Duration timeout) {
        String wanted = tls == null ? "http" : "https";
        for (String endpoint : endpoints) {
            String scheme = scheme(endpoint);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw usage("--etcd " + endpoint + ": not an http://HOST:PORT or https://HOST:PORT URL");
            }
            if (!scheme.equals(wanted)) {
                throw usage(tls == null
                        ? "--etcd " + endpoint + ": an https:// endpoint needs --etcd-cacert, --etcd-cert and --etcd-key"
                        : "--etcd " + endpoint + ": --etcd-cacert, --etcd-cert and --etcd-key need https:// endpoints");
            }
        }
        EtcdTls files = tls == null ? null : new EtcdTls(tls.caCert, tls.cert, tls.key);
        return new EtcdStore(endpoints, files, timeout);
    }

    private static String scheme(String endpoint) {
        try {
            URI uri = new URI(endpoint);
            return uri.getScheme() == null || uri.getHost() == null || uri.getPort() < 0 ? "" : uri.getScheme();
        } catch (java.net.URISyntaxException e) {
            return "";
        }
    }

    private CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(command.commandLine(), message);
    }
}
