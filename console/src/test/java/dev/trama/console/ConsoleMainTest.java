package dev.trama.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trama.cli.ExitCodes;
import dev.trama.concurrent.Threads;
import dev.trama.identity.ConsoleKeys;
import dev.trama.transport.CurveKeyPair;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import picocli.CommandLine;

class ConsoleMainTest {

    private record Outcome(int exitCode, String out, String err) {
    }

    private static Outcome execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = ConsoleMain.commandLine();
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exitCode = cli.execute(args);
        return new Outcome(exitCode, out.toString(), err.toString());
    }

    @Test
    void everySubcommandHasHelp() {
        for (String command : new String[] {"configure", "run", "rm", "ps", "logs", "inspect", "nodes", "info", "leave",
                "generate-completion"}) {
            Outcome help = execute(command, "--help");
            assertThat(help.exitCode()).as(command).isZero();
            assertThat(help.out()).as(command).startsWith("Usage: trama " + command);
        }
    }

    @Test
    void generateCompletionPrintsABashScriptThatBashLoads(@TempDir Path dir) throws Exception {
        Outcome completion = execute("generate-completion");
        assertThat(completion.exitCode()).isZero();
        assertThat(completion.out()).startsWith("#!/usr/bin/env bash").contains("complete -F _complete_trama")
                .contains("configure").contains("leave");
        Path script = dir.resolve("trama_completion");
        Files.writeString(script, completion.out(), StandardCharsets.UTF_8);
        Process bash = new ProcessBuilder("bash", "-c", "source \"$0\" && complete -p trama", script.toString())
                .redirectErrorStream(true).start();
        assertThat(bash.waitFor(20, TimeUnit.SECONDS)).isTrue();
        String output = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(bash.exitValue()).as(output).isZero();
        assertThat(output).contains("_complete_trama").endsWith("trama\n");
    }

    @Test
    void badUsageExitsTwoWithPicocliMessage() {
        Outcome bad = execute("run", "n1");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("Missing required parameter").contains("Usage: trama run");
    }

    @Test
    void badRunOptionsExitTwoWithOneSentenceBeforeAnythingIsSent() {
        // port 5999 has no daemon: reaching it would say so instead
        Outcome restart = execute("--port", "5999", "run", "n1", "web", "--restart", "sometimes");
        assertThat(restart.exitCode()).isEqualTo(2);
        assertThat(restart.err()).startsWith("restart policy 'sometimes' is not one of no, on-failure[:N], always, unless-stopped");
        Outcome memory = execute("--port", "5999", "run", "n1", "web", "--memory", "64x");
        assertThat(memory.exitCode()).isEqualTo(2);
        assertThat(memory.err()).startsWith("memory size '64x' is not a number with an optional unit b, k, m or g (e.g. 64m)");
        Outcome cpus = execute("--port", "5999", "run", "n1", "web", "--cpus", "-1");
        assertThat(cpus.exitCode()).isEqualTo(2);
        assertThat(cpus.err()).startsWith("CPU count '-1' is not a number such as 0.5 or 2");
    }

    @Test
    void withoutItsDaemonsKeysTheConsoleSaysNoDaemonRuns(@TempDir Path run) {
        System.setProperty("trama.run.dir", run.toString());
        try {
            Outcome ps = execute("--port", "5999", "ps");
            assertThat(ps.exitCode()).isEqualTo(ExitCodes.FAILED);
            assertThat(ps.err()).startsWith("trama: no Trama daemon is running on this host (nothing listens on 127.0.0.1:5999)");
        } finally {
            System.clearProperty("trama.run.dir");
        }
    }

    @Test
    @Timeout(60)
    void anErrorFromTheDaemonReachesTheTerminalWithoutItsControlCharacters(@TempDir Path run) throws InterruptedException {
        String body = "{\"v\":1,\"code\":\"NOT_FOUND\","
                + "\"message\":\"\\u001b[2J\\u001b]0;owned\\u0007container 'web'\\r\\nis gone\\u009b\"}";
        Outcome rm;
        CurveKeyPair daemonKeys = CurveKeyPair.generate();
        System.setProperty("trama.run.dir", run.toString());
        try (ZContext context = new ZContext()) {
            ZMQ.Socket daemon = context.createSocket(SocketType.REP);
            daemon.setCurveServer(true);
            daemon.setCurveSecretKey(ZMQ.Curve.z85Decode(daemonKeys.secretKey()));
            daemon.setReceiveTimeOut(30_000);
            int port = daemon.bindToRandomPort("tcp://127.0.0.1");
            new ConsoleKeys(daemonKeys.publicKey(), CurveKeyPair.generate()).write(ConsoleKeys.file(port));
            Thread answering = Threads.start("test-daemon", () -> {
                if (daemon.recv() != null) {
                    while (daemon.hasReceiveMore()) {
                        daemon.recv();
                    }
                    daemon.sendMore("error");
                    daemon.send(body);
                }
            });
            rm = execute("--port", String.valueOf(port), "rm", "web");
            answering.join();
        } finally {
            System.clearProperty("trama.run.dir");
        }
        assertThat(rm.exitCode()).isEqualTo(ExitCodes.FAILED);
        assertThat(rm.err()).contains("trama: [2J]0;ownedcontainer 'web' is gone\n")
                .doesNotContainPattern("[\\p{Cc}&&[^\\n]]");
    }
}
