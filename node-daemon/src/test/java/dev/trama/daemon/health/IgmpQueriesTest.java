package dev.trama.daemon.health;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class IgmpQueriesTest {

    /** An IPv4 header of 24 bytes (router alert option), from 192.0.2.1 to 224.0.0.1, then IGMP of the given type. */
    private static byte[] packet(int igmpType) {
        byte[] packet = new byte[24 + 12];
        packet[0] = 0x46;
        packet[9] = 2;
        packet[12] = (byte) 192;
        packet[13] = 0;
        packet[14] = 2;
        packet[15] = 1;
        packet[16] = (byte) 224;
        packet[19] = 1;
        packet[24] = (byte) igmpType;
        return packet;
    }

    @Test
    void aMembershipQueryIsToldFromReportsAndLeavesByItsType() {
        assertThat(IgmpQueries.query(packet(0x11), 36)).contains("192.0.2.1");
        assertThat(IgmpQueries.query(packet(0x16), 36)).as("a v2 report").isEmpty();
        assertThat(IgmpQueries.query(packet(0x22), 36)).as("a v3 report").isEmpty();
        assertThat(IgmpQueries.query(packet(0x17), 36)).as("a leave").isEmpty();
    }

    @Test
    void whatIsNoIpv4PacketOrTooShortIsNoQuery() {
        assertThat(IgmpQueries.query(packet(0x11), 27)).isEqualTo(Optional.empty());
        byte[] six = packet(0x11);
        six[0] = 0x66;
        assertThat(IgmpQueries.query(six, 36)).isEmpty();
        byte[] shortHeader = packet(0x11);
        shortHeader[0] = 0x44;
        assertThat(IgmpQueries.query(shortHeader, 36)).isEmpty();
        assertThat(IgmpQueries.query(new byte[10], 10)).isEmpty();
    }
}
