package dev.trama.daemon.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

class UpstreamTest {

    @Test
    void theNameserversOfAResolvConfSaveTheResolversOwnAddressAndNames() throws Exception {
        String conf = """
                # made by hand
                search example.org
                nameserver 203.0.113.10
                nameserver 10.10.0.2
                nameserver   2001:db8::53
                nameserver dns.example.org
                options ndots:2
                nameserver 203.0.113.11
                nameserver 203.0.113.12
                """;
        assertThat(Upstream.parse(conf, InetAddress.getByName("10.10.0.2"), 53)).containsExactly(
                new InetSocketAddress(InetAddress.getByName("203.0.113.10"), 53),
                new InetSocketAddress(InetAddress.getByName("2001:db8::53"), 53),
                new InetSocketAddress(InetAddress.getByName("203.0.113.11"), 53));
    }

    @Test
    void noNameserverGivesNone() throws Exception {
        assertThat(Upstream.parse("search example.org\n", InetAddress.getByName("10.10.0.2"), 53)).isEmpty();
    }
}
