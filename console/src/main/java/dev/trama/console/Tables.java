package dev.trama.console;

import dev.trama.protocol.ClusterView;
import dev.trama.protocol.ContainerInfo;
import dev.trama.protocol.NodeInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Aligned text tables of the cluster, as {@code docker ps} and {@code kubectl get} print them. */
public final class Tables {

    private Tables() {
    }

    public static String containers(List<ContainerInfo> containers) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NAME", "NODE", "IP", "IMAGE", "STATE"));
        for (ContainerInfo c : containers) {
            rows.add(List.of(c.name(), c.node(), c.ip(), c.image(), c.state()));
        }
        return render(rows);
    }

    public static String nodes(List<NodeInfo> nodes) {
        List<List<String>> rows = new ArrayList<>();
        rows.add(List.of("NAME", "ADDRESS", "STATUS", "CPU", "FREE RAM", "CONTAINERS"));
        for (NodeInfo n : nodes) {
            rows.add(List.of(n.name(), n.address(), n.status(),
                    n.cpuPercent() == null ? "-" : String.format(Locale.ROOT, "%.1f%%", n.cpuPercent()),
                    n.freeMemMb() == null ? "-" : n.freeMemMb() + " MB",
                    Integer.toString(n.containers())));
        }
        return render(rows);
    }

    public static String info(ClusterView view) {
        return "Segment: " + (view.subnet() == null ? "(none yet)" : view.subnet()) + "\n\n"
                + "CONTAINERS\n" + containers(view.containers()) + "\n"
                + "NODES\n" + nodes(view.nodes());
    }

    static String render(List<List<String>> rows) {
        int columns = rows.get(0).size();
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(row.get(i));
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - row.get(i).length() + 3));
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }
}
