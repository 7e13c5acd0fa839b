package dev.trama.daemon.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysctlTest {

    @TempDir
    Path proc;

    @Test
    void readsAndWritesFilesUnderItsRoot() throws IOException {
        Files.createDirectories(proc.resolve("net/ipv4"));
        Files.writeString(proc.resolve("net/ipv4/ip_forward"), "0\n");
        Sysctl sysctl = new Sysctl(proc);
        sysctl.set("net.ipv4.ip_forward", "1");
        assertThat(Files.readString(proc.resolve("net/ipv4/ip_forward"))).isEqualTo("1\n");
        assertThat(sysctl.get("net.ipv4.ip_forward")).isEqualTo("1");
    }

    @Test
    void throughARunnerUsesTheSysctlCommand() {
        RecordingRunner runner = new RecordingRunner()
                .answer("sysctl -n net.ipv4.ip_forward", 0, "0\n", "")
                .succeed("sysctl -q -w net.ipv4.ip_forward=1");
        Sysctl sysctl = Sysctl.through(runner);
        assertThat(sysctl.get("net.ipv4.ip_forward")).isEqualTo("0");
        sysctl.set("net.ipv4.ip_forward", "1");
        assertThat(runner.lines()).containsExactly("sysctl -n net.ipv4.ip_forward", "sysctl -q -w net.ipv4.ip_forward=1");
    }

    @Test
    void refusesWhatIsNotAKeyOrAValue() {
        RecordingRunner runner = new RecordingRunner();
        Sysctl sysctl = Sysctl.through(runner);
        assertThatThrownBy(() -> sysctl.get("../../etc/passwd")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sysctl.set("net.ipv4.ip_forward", "1\nkernel.panic=1")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Sysctl(proc).set("net.ipv4.ip_forward", "")).isInstanceOf(IllegalArgumentException.class);
        assertThat(runner.commands).isEmpty();
    }
}
