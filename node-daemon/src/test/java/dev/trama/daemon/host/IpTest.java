package dev.trama.daemon.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trama.net.InterfaceAddress;
import dev.trama.net.Ipv4;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IpTest {

    private static final String VXLAN_JSON = """
            [{"ifindex":4,"ifname":"trama-vx","flags":["BROADCAST","MULTICAST","UP","LOWER_UP"],"mtu":1450,
              "master":"trama0","operstate":"UNKNOWN","address":"a6:7e:e2:6d:5d:d8",
              "linkinfo":{"info_kind":"vxlan","info_data":{"id":42,"group":"239.1.1.1","link":"eth0","port":4789,"ttl":20},
                          "info_slave_kind":"bridge"}}]""";

    private static final String LISTING = "ip -json link show";
    private static final String LINKS_LO_AND_BUSY0 = """
            [{"ifindex":1,"ifname":"lo","mtu":65536},{"ifindex":7,"ifname":"busy0","mtu":1500}]""";

    private final RecordingRunner runner = new RecordingRunner();
    private final Ip ip = new Ip(runner);

    @Test
    void readsALinkFromIpJson() {
        runner.answer("ip -json -details link show dev trama-vx", 0, VXLAN_JSON, "");
        Link link = ip.link("trama-vx").orElseThrow();
        assertThat(link.isVxlan()).isTrue();
        assertThat(link.master()).isEqualTo("trama0");
        assertThat(link.mtu()).isEqualTo(1450);
        assertThat(link.up()).isTrue();
        assertThat(link.info().path("id").asInt()).isEqualTo(42);
        assertThat(link.info().path("link").asText()).isEqualTo("eth0");
    }

    @Test
    void aMissingLinkIsEmptyNotAnError() {
        runner.answer("ip -json -details link show dev trama0", 1, "", "Device \"trama0\" does not exist.\n");
        runner.answer(LISTING, 0, LINKS_LO_AND_BUSY0, "");
        assertThat(ip.link("trama0")).isEmpty();
    }

    @Test
    void aLinkThatIsThereButCannotBeReadIsAnError() {
        runner.answer("ip -json -details link show dev busy0", 2, "", "RTNETLINK answers: Operation not permitted\n");
        runner.answer(LISTING, 0, LINKS_LO_AND_BUSY0, "");
        assertThatThrownBy(() -> ip.link("busy0"))
                .isInstanceOf(CommandException.class)
                .hasMessage("`ip -json -details link show dev busy0` failed (exit 2): RTNETLINK answers: Operation not permitted");
    }

    @Test
    void readsIpv4AddressesWithTheirPrefix() {
        runner.answer("ip -json -4 addr show dev trama0", 0, """
                [{"ifname":"trama0","addr_info":[{"family":"inet","local":"10.10.0.1","prefixlen":16}]}]""", "");
        assertThat(ip.addresses("trama0")).containsExactly(InterfaceAddress.parse("10.10.0.1/16"));
    }

    @Test
    void buildsArgumentVectorsNeverShellLines() {
        runner.succeed("ip link add").succeed("nsenter -t 4025 -n ip");
        ip.addBridge("trama0", "02:aa:bb:cc:dd:ee", 1450);
        ip.addVxlan("trama-vx", 42, Ipv4.parse("239.1.1.1"), 4789, "eth0", 20);
        ip.addVethInto(4025, "eth0", "02:7a:0a:0a:00:05", "trv0123456789ab", 1450);
        ip.configureInside(4025, "eth0", InterfaceAddress.parse("10.10.0.5/16"), Ipv4.parse("10.10.0.1"));
        assertThat(runner.commands).containsExactly(
                List.of("ip", "link", "add", "trama0", "address", "02:aa:bb:cc:dd:ee", "mtu", "1450", "type", "bridge"),
                List.of("ip", "link", "add", "trama-vx", "type", "vxlan", "id", "42", "group", "239.1.1.1", "dstport", "4789",
                        "dev", "eth0", "ttl", "20"),
                List.of("ip", "link", "add", "eth0", "address", "02:7a:0a:0a:00:05", "mtu", "1450", "netns", "4025", "type",
                        "veth", "peer", "name",
                        "trv0123456789ab", "mtu", "1450"),
                List.of("nsenter", "-t", "4025", "-n", "ip", "addr", "add", "10.10.0.5/16", "dev", "eth0"),
                List.of("nsenter", "-t", "4025", "-n", "ip", "link", "set", "dev", "eth0", "up"),
                List.of("nsenter", "-t", "4025", "-n", "ip", "route", "add", "default", "via", "10.10.0.1", "dev", "eth0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"a;reboot", "trama0 up", "$(id)", "averyveryverylongname", "", "-x"})
    void refusesBadNamesBeforeRunningAnything(String name) {
        assertThatThrownBy(() -> ip.addBridge(name, "02:aa:bb:cc:dd:ee", 1450)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ip.deleteLink(name)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ip.setAlias("trama0", name + ";x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(runner.commands).isEmpty();
    }

    @Test
    void deletingWhatIsGoneIsFineButOtherFailuresAreNot() {
        runner.answer("ip link del dev gone0", 1, "", "Cannot find device \"gone0\"\n");
        runner.answer("ip link del dev busy0", 2, "", "RTNETLINK answers: Operation not permitted\n");
        runner.answer(LISTING, 0, LINKS_LO_AND_BUSY0, "");
        ip.deleteLink("gone0");
        assertThatThrownBy(() -> ip.deleteLink("busy0"))
                .isInstanceOf(CommandException.class)
                .hasMessage("`ip link del dev busy0` failed (exit 2): RTNETLINK answers: Operation not permitted");
    }

    @Test
    void aLinkThatVanishesWhileItIsDeletedIsGone() {
        // ip found the name, then the link went (its container ended) before the kernel got the request
        runner.answer("ip link del dev trv0123456789ab", 2, "", "RTNETLINK answers: No such device\n");
        runner.answer(LISTING, 0, LINKS_LO_AND_BUSY0, "");
        ip.deleteLink("trv0123456789ab");
        assertThat(runner.lines()).containsExactly("ip link del dev trv0123456789ab", LISTING);
    }

    @Test
    void aLinkDeletedAtOnceNeedsNoListing() {
        runner.succeed("ip link del dev trv0123456789ab");
        ip.deleteLink("trv0123456789ab");
        assertThat(runner.lines()).containsExactly("ip link del dev trv0123456789ab");
    }
}
