package dev.trama.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trama.daemon.host.LinkNames;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class VethNamesTest {

    @Test
    void fitLinuxsLimitForEveryValidName() {
        String longest = "a".repeat(63);
        for (String name : new String[] {"a", "web", "web-frontend-01", longest}) {
            String veth = VethNames.hostSide(name);
            assertThat(veth).hasSize(15).startsWith("trv");
            assertThat(LinkNames.require(veth)).isEqualTo(veth);
            assertThat(VethNames.isTrama(veth)).isTrue();
        }
    }

    @Test
    void areDistinctAndStable() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(VethNames.hostSide("c" + i))).isTrue();
        }
        assertThat(VethNames.hostSide("web")).isEqualTo(VethNames.hostSide("web"));
    }

    @Test
    void otherLinksAreNotTramas() {
        assertThat(VethNames.isTrama("veth1234")).isFalse();
        assertThat(VethNames.isTrama("trvnothexatall!")).isFalse();
        assertThat(VethNames.isTrama("br0")).isFalse();
    }

    @Test
    void refuseInvalidContainerNames() {
        assertThatThrownBy(() -> VethNames.hostSide("a b")).isInstanceOf(IllegalArgumentException.class);
    }
}
