package dev.trama.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CidrTest {

    @ParameterizedTest
    @CsvSource({
            "10.0.0.0/8,     16777214, 10.0.0.1,   10.255.255.254, 10.255.255.255",
            "10.10.0.0/16,   65534,    10.10.0.1,  10.10.255.254,  10.10.255.255",
            "192.0.2.0/24,   254,      192.0.2.1,  192.0.2.254,    192.0.2.255",
            "10.1.2.16/28,   14,       10.1.2.17,  10.1.2.30,      10.1.2.31"})
    void usableHostsExcludeNetworkAndBroadcast(String text, long usable, String first, String last, String broadcast) {
        Cidr cidr = Cidr.parse(text);
        assertThat(cidr.usableHosts()).isEqualTo(usable);
        assertThat(cidr.host(0)).hasToString(first);
        assertThat(cidr.host(usable - 1)).hasToString(last);
        assertThat(cidr.broadcast()).hasToString(broadcast);
        assertThatThrownBy(() -> cidr.host(usable)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> cidr.host(-1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> cidr.hostIndex(cidr.network())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> cidr.hostIndex(cidr.broadcast())).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"10.10.0.1/16", "10.10.0.0", "10.10.0.0/", "10.10.0.0/33", "10.10.0.0/-1",
            "10.10.0.0/1a", "10.10.0/16", "a.b.c.d/8", "10.10.0.0/16 ", "", "/16", "10.10.0.0//16"})
    void refusesAnythingButANetworkInCidrForm(String text) {
        assertThatThrownBy(() -> Cidr.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostBitsErrorNamesTheNetwork() {
        assertThatThrownBy(() -> Cidr.parse("10.10.3.7/16")).hasMessageContaining("10.10.0.0/16");
    }

    @Test
    void hostAndHostIndexAreInverseOnRandomPrefixes() {
        Random random = new Random(42);
        for (int i = 0; i < 10_000; i++) {
            int prefix = 8 + random.nextInt(21);
            int mask = -1 << (32 - prefix);
            Cidr cidr = new Cidr(new Ipv4(random.nextInt() & mask), prefix);
            long index = (long) (random.nextDouble() * cidr.usableHosts());
            Ipv4 host = cidr.host(index);
            assertThat(cidr.contains(host)).isTrue();
            assertThat(cidr.hostIndex(host)).isEqualTo(index);
            assertThat(Cidr.parse(cidr.toString())).isEqualTo(cidr);
        }
    }

    @Test
    void interfaceAddressKnowsItsNetwork() {
        InterfaceAddress address = InterfaceAddress.parse("10.10.3.7/16");
        assertThat(address.network()).isEqualTo(Cidr.parse("10.10.0.0/16"));
        assertThat(address).hasToString("10.10.3.7/16");
        assertThatThrownBy(() -> InterfaceAddress.parse("10.10.3.7")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> InterfaceAddress.parse("10.10.3.7/40")).isInstanceOf(IllegalArgumentException.class);
    }
}
