package dev.trama.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The etcd options are refused before anything is opened: a partial TLS set, a missing file, a scheme that does not fit. */
@Timeout(30)
class EtcdOptionsTest {

    @TempDir
    Path dir;

    private record Run(int code, String err) {
    }

    /** ServerMain's command as main runs it, on ports the system picks; it never gets as far as etcd here. */
    private static Run server(String... etcdArgs) {
        List<String> args = new ArrayList<>(List.of(etcdArgs));
        args.addAll(List.of("--bind", "127.0.0.1", "0", "0", "0"));
        StringWriter err = new StringWriter();
        var cli = ServerMain.commandLine();
        cli.setErr(new PrintWriter(err, true));
        cli.setOut(new PrintWriter(new StringWriter(), true));
        int code = cli.execute(args.toArray(String[]::new));
        return new Run(code, err.toString());
    }

    @Test
    void theThreeFilesComeTogether() {
        Run run = server("--etcd", "https://127.0.0.1:2379", "--etcd-cacert", "ca.pem");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("Error: Missing required argument(s): --etcd-cert=FILE, --etcd-key=FILE");

        run = server("--etcd", "https://127.0.0.1:2379", "--etcd-cert", "client.pem", "--etcd-key", "client.key");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("Error: Missing required argument(s): --etcd-cacert=FILE");
    }

    @Test
    void aFileThatIsNotThereOrNotAFileIsNamed() throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "not a certificate\n");
        Path missing = dir.resolve("client.pem");

        Run run = server("--etcd", "https://127.0.0.1:2379", "--etcd-cacert", missing.toString(),
                "--etcd-cert", missing.toString(), "--etcd-key", missing.toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("trama-server: cannot use etcd CA certificate " + missing + ": no such file\n");

        run = server("--etcd", "https://127.0.0.1:2379", "--etcd-cacert", dir.toString(),
                "--etcd-cert", missing.toString(), "--etcd-key", missing.toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("trama-server: cannot use etcd CA certificate " + dir + ": not a file\n");

        run = server("--etcd", "https://127.0.0.1:2379", "--etcd-cacert", ca.toString(),
                "--etcd-cert", missing.toString(), "--etcd-key", missing.toString());
        assertThat(run.code()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("trama-server: cannot use etcd CA certificate " + ca + ": not a PEM certificate\n");
    }

    @Test
    void tlsFilesAndHttpsEndpointsGoTogether() {
        Run run = server("--etcd", "http://127.0.0.1:2379", "--etcd-cacert", "ca.pem", "--etcd-cert", "c.pem", "--etcd-key", "c.key");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("--etcd http://127.0.0.1:2379: --etcd-cacert, --etcd-cert and --etcd-key need https:// endpoints");

        run = server("--etcd", "https://127.0.0.1:2379");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("--etcd https://127.0.0.1:2379: an https:// endpoint needs --etcd-cacert, --etcd-cert and --etcd-key");

        run = server("--etcd", "127.0.0.1:2379");
        assertThat(run.code()).isEqualTo(2);
        assertThat(run.err()).startsWith("--etcd 127.0.0.1:2379: not an http://HOST:PORT or https://HOST:PORT URL");
    }
}
