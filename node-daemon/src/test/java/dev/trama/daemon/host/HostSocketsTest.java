package dev.trama.daemon.host;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which ports the kernel's socket tables say a socket holds. */
class HostSocketsTest {

    private static final String TCP = """
              sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 101 1 0 100 0 0 10 0
               1: 0100007F:138A 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 102 1 0 100 0 0 10 0
               2: 0C0200C0:D431 0B0200C0:0050 01 00000000:00000000 00:00000000 00000000     0        0 103 1 0 20 4 30 10 -1
            """;
    private static final String TCP6 = """
              sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
               0: 00000000000000000000000000000000:0016 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 201 1 0 100 0 0 10 0
            """;
    private static final String UDP = """
               sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
              10: 00000000:14E9 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 301 2 0000000000000000 0
              11: 0C0200C0:A2C1 0B0200C0:0035 01 00000000:00000000 00:00000000 00000000     0        0 302 2 0000000000000000 0
            """;

    @Test
    void aListeningTcpSocketHoldsItsPortOnAnyAddress() {
        assertThat(HostSockets.holds(TCP, "tcp", 8080)).isTrue();
        assertThat(HostSockets.holds(TCP, "tcp", 5002)).as("on loopback only, still the host's port").isTrue();
        assertThat(HostSockets.holds(TCP6, "tcp", 22)).isTrue();
    }

    @Test
    void aConnectionsOwnPortIsNoListener() {
        assertThat(HostSockets.holds(TCP, "tcp", 0xD431)).isFalse();
        assertThat(HostSockets.holds(TCP, "tcp", 80)).isFalse();
        assertThat(HostSockets.holds("", "tcp", 8080)).isFalse();
    }

    @Test
    void aBoundUdpSocketHoldsItsPortAndAConnectedOneDoesNot() {
        assertThat(HostSockets.holds(UDP, "udp", 5353)).isTrue();
        assertThat(HostSockets.holds(UDP, "udp", 0xA2C1)).isFalse();
        assertThat(HostSockets.holds(UDP, "udp", 53)).isFalse();
    }

    @Test
    void bothFamiliesAreRead() {
        RecordingRunner runner = new RecordingRunner()
                .answer("cat /proc/net/tcp", 0, TCP, "")
                .answer("cat /proc/net/tcp6", 0, TCP6, "");
        HostSockets sockets = HostSockets.through(runner);
        assertThat(sockets.holds("tcp", 22)).isTrue();
        assertThat(sockets.holds("tcp", 23)).isFalse();
        assertThat(runner.lines()).contains("cat /proc/net/tcp", "cat /proc/net/tcp6");
    }
}
