package dev.trama.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class Ipv4Test {

    @Test
    void roundTripsEveryShapeOfAddress() {
        Random random = new Random(7);
        for (int i = 0; i < 10_000; i++) {
            Ipv4 address = new Ipv4(random.nextInt());
            assertThat(Ipv4.parse(address.toString())).isEqualTo(address);
        }
        assertThat(Ipv4.parse("0.0.0.0").bits()).isZero();
        assertThat(Ipv4.parse("255.255.255.255").bits()).isEqualTo(-1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.-4", " 1.2.3.4", "1.2.3.4;",
            "1..3.4", "a.b.c.d", "1.2.3.4/24", "$(reboot)", "１.2.3.4"})
    void refusesWhatIsNotFourPlainOctets(String text) {
        assertThatThrownBy(() -> Ipv4.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ordersAsUnsignedNumbers() {
        assertThat(Ipv4.parse("200.0.0.1")).isGreaterThan(Ipv4.parse("10.0.0.1"));
        assertThat(Ipv4.parse("10.0.0.255").plus(1)).isEqualTo(Ipv4.parse("10.0.1.0"));
    }
}
