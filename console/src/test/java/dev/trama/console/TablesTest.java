package dev.trama.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trama.protocol.ClusterView;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.NodeInfo;
import dev.trama.protocol.PortMapping;
import java.util.List;
import org.junit.jupiter.api.Test;

class TablesTest {

    private static final ContainerInfo WEB = new ContainerInfo("web", "n2", "10.10.0.5/16", "trama/base:latest",
            dev.trama.protocol.ContainerState.RUNNING, List.of());
    private static final NodeInfo N1 = new NodeInfo("n1", "192.0.2.11", NodeInfo.Status.UP, 3.46, 812L, 0, "10.10.0.1/16", null, List.of());
    private static final NodeInfo N2 = new NodeInfo("n2", "192.0.2.12", NodeInfo.Status.DOWN, null, null, 1, null, null, List.of());

    @Test
    void containersShowNameNodeAddressImageAndState() {
        assertThat(Tables.containers(List.of(WEB))).isEqualTo("""
                NAME   NODE   IP             IMAGE               STATE
                web    n2     10.10.0.5/16   trama/base:latest   running
                """);
    }

    @Test
    void publishedPortsShowInAColumnOfTheirOwnWhenThereAreAny() {
        ContainerInfo api = new ContainerInfo("api", "n1", "10.10.0.6/16", "trama/base:latest",
                dev.trama.protocol.ContainerState.RUNNING, List.of(PortMapping.parse("8080:80"), PortMapping.parse("5353:53/udp")));
        assertThat(Tables.containers(List.of(api, WEB), 100)).isEqualTo("""
                NAME   NODE   IP             IMAGE               STATE     PORTS
                api    n1     10.10.0.6/16   trama/base:latest   running   8080->80/tcp, 5353->53/udp
                web    n2     10.10.0.5/16   trama/base:latest   running
                """);
        // on 80 columns the image gives way, never the ports
        assertThat(Tables.containers(List.of(api, WEB))).contains("...a/base:latest").contains("8080->80/tcp, 5353->53/udp");
    }

    @Test
    void nodesShowMetricsOrADashUntilTheFirstReport() {
        assertThat(Tables.nodes(List.of(N1, N2))).isEqualTo("""
                NAME   ADDRESS      STATUS   CPU    FREE RAM   CONTAINERS   MTU
                n1     192.0.2.11   up       3.5%   812 MB     0            -
                n2     192.0.2.12   down     -      -          1            -
                """);
    }

    @Test
    void aNodeWhoseOverlayPathFailsFromHereSaysHow() {
        NodeInfo n3 = new NodeInfo("n3", "192.0.2.13", NodeInfo.Status.UP, 1.0, 900L, 0, null, null, List.of(), 1500);
        assertThat(Tables.status(n3)).isEqualTo("up");
        assertThat(Tables.status(n3.withPath(new NodeInfo.Path(true, 0.4, true)))).isEqualTo("up");
        assertThat(Tables.status(n3.withPath(new NodeInfo.Path(true, 0.4, false)))).isEqualTo("up, path MTU");
        assertThat(Tables.status(n3.withPath(new NodeInfo.Path(false, null, false)))).isEqualTo("up, no path");
        assertThat(Tables.nodes(List.of(n3.withPath(new NodeInfo.Path(false, null, false)))))
                .contains("n3     192.0.2.13   up, no path   1.0%   900 MB     0            1500");
    }

    @Test
    void longImageNamesAreCutToFitEightyColumns() {
        String image = "registry.internal.example.com:5000/platform/team/frontend:2024.11.28-rc1";
        ContainerInfo container = new ContainerInfo("frontend-web-01", "rack-a-n12", "10.200.100.250/16", image,
                dev.trama.protocol.ContainerState.REMOVING, List.of());
        String table = Tables.containers(List.of(container, WEB));
        assertThat(table.lines()).allMatch(line -> line.length() <= Tables.DEFAULT_WIDTH, "fits 80 columns");
        assertThat(table).contains("frontend-web-01").contains("rack-a-n12").contains("10.200.100.250/16")
                .contains("removing").contains("...").contains("2024.11.28-rc1").doesNotContain("registry.internal")
                .contains("trama/base:latest");
        assertThat(Tables.containers(List.of(container), 200)).contains(image);
    }

    @Test
    void namesAreNeverCutEvenWhenTheyCannotFit() {
        String name = "frontend-web-server-" + "x".repeat(40);
        ContainerInfo container = new ContainerInfo(name, "n2", "10.10.0.5/16", "trama/base:latest", dev.trama.protocol.ContainerState.RUNNING,
                List.of());
        assertThat(Tables.containers(List.of(container))).contains(name);
    }

    @Test
    void aTypicalClusterFitsEightyColumns() {
        List<NodeInfo> nodes = List.of(
                new NodeInfo("tt12ab-n1", "192.0.2.11", NodeInfo.Status.UP, 100.0, 23677L, 12, null, null, List.of()),
                new NodeInfo("worker-03.lan", "192.168.100.203", NodeInfo.Status.DOWN, 12.25, 1024L, 3, null, null, List.of()));
        ContainerInfo longest = new ContainerInfo("payments-api-7", "worker-03.lan", "10.100.200.250/16",
                "ghcr.io/example/payments-api:1.42.0", dev.trama.protocol.ContainerState.PENDING, List.of());
        String info = Tables.info(new ClusterView("10.100.0.0/16", List.of(longest, WEB), nodes));
        assertThat(info.lines()).allMatch(line -> line.length() <= Tables.DEFAULT_WIDTH);
        assertThat(info).contains("100.0%").contains("23677 MB").contains("worker-03.lan").contains("payments-api-7");
    }

    @Test
    void infoShowsTheSegmentAndBothTables() {
        String info = Tables.info(new ClusterView("10.10.0.0/16", List.of(WEB), List.of(N1, N2)));
        assertThat(info).startsWith("Segment: 10.10.0.0/16\nVXLAN: multicast\n\nCONTAINERS\nNAME").contains("\nNODES\nNAME")
                .contains("web    n2").contains("n2     192.0.2.12");
    }

    @Test
    void anEmptyClusterSaysSo() {
        assertThat(Tables.info(new ClusterView(null, List.of(), List.of())))
                .isEqualTo("Segment: (none yet)\n\nCONTAINERS\n(none)\n\nNODES\n(none)\n");
    }
}
