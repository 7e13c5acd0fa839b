package dev.trama.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trama.daemon.host.FdbEntry;
import dev.trama.net.Ipv4;
import dev.trama.protocol.Task;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ForwardingTest {

    private static final Task.Member N1 = new Task.Member("n1", "192.0.2.11", "10.10.0.1/16");
    private static final Task.Member N2 = new Task.Member("n2", "192.0.2.12", "10.10.0.2/16");
    private static final Task.Member N3 = new Task.Member("n3", "192.0.2.13", null);
    private static final Task.Names NAMES = new Task.Names(9,
            Map.of("web", "10.10.0.5", "db", "10.10.0.6", "job", "10.10.0.7", "lost", "10.10.0.8"),
            Map.of("web", "n1", "db", "n2", "job", "n3", "lost", "n9"));

    private static FdbEntry entry(String mac, String destination) {
        return new FdbEntry(mac, Ipv4.parse(destination));
    }

    @Test
    void everyOtherMemberIsFloodedToAndItsBridgeAndContainersAreKnownByMacAndAddress() {
        Forwarding forwarding = Forwarding.of("n1", List.of(N1, N2, N3), NAMES);
        String bridge2 = NodeNetwork.stableMac("n2");
        assertThat(forwarding.entries()).containsExactlyInAnyOrder(
                entry(FdbEntry.FLOOD, "192.0.2.12"),
                entry(FdbEntry.FLOOD, "192.0.2.13"),
                entry(bridge2, "192.0.2.12"),
                entry("02:7a:0a:0a:00:06", "192.0.2.12"),
                entry("02:7a:0a:0a:00:07", "192.0.2.13"));
        assertThat(forwarding.neighbours()).isEqualTo(Map.of(
                Ipv4.parse("10.10.0.2"), bridge2,
                Ipv4.parse("10.10.0.6"), "02:7a:0a:0a:00:06",
                Ipv4.parse("10.10.0.7"), "02:7a:0a:0a:00:07"));
    }

    @Test
    void nothingOfANodeThatIsNoMemberIsKept() {
        // n2 left or was released: its flood entry, its bridge and its containers go, whatever the names still say
        Forwarding forwarding = Forwarding.of("n1", List.of(N1, N3), NAMES);
        assertThat(forwarding.entries()).extracting(FdbEntry::destination).containsOnly(Ipv4.parse("192.0.2.13"));
        assertThat(forwarding.neighbours()).containsOnlyKeys(Ipv4.parse("10.10.0.7"));
    }

    @Test
    void aNodeAloneHoldsNothing() {
        assertThat(Forwarding.of("n1", List.of(N1), NAMES)).isEqualTo(new Forwarding(java.util.Set.of(), Map.of()));
        assertThat(Forwarding.of("n1", List.of(), new Task.Names(0, Map.of()))).isEqualTo(new Forwarding(java.util.Set.of(), Map.of()));
    }
}
