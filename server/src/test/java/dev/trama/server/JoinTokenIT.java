package dev.trama.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trama.identity.JoinToken;
import dev.trama.testkit.SharedEtcd;
import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/** trama-server join-token against a real etcd: one line, the same each time, another secret when rotated. */
@Timeout(60)
class JoinTokenIT {

    private final String root = SharedEtcd.freshRoot();

    private String joinToken(String... more) {
        CommandLine command = ServerMain.commandLine();
        StringWriter out = new StringWriter();
        command.setOut(new PrintWriter(out));
        String[] args = new String[4 + more.length];
        args[0] = "join-token";
        args[1] = "--etcd=" + SharedEtcd.endpoint();
        args[2] = "--key-root";
        args[3] = root;
        System.arraycopy(more, 0, args, 4, more.length);
        assertThat(command.execute(args)).isZero();
        return out.toString();
    }

    @Test
    void theTokenIsOneLineMadeOnceAndRotatedOnRequest() {
        String printed = joinToken();
        assertThat(printed.lines()).hasSize(1);
        JoinToken first = JoinToken.parse(printed);
        assertThat(JoinToken.parse(joinToken())).isEqualTo(first);

        JoinToken rotated = JoinToken.parse(joinToken("--rotate"));
        assertThat(rotated.secret()).isNotEqualTo(first.secret());
        assertThat(rotated.serverKey()).isEqualTo(first.serverKey());
        assertThat(rotated.clusterId()).isEqualTo(first.clusterId());
        assertThat(JoinToken.parse(joinToken())).isEqualTo(rotated);
    }
}
