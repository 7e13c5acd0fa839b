package dev.trama.daemon.network;

import dev.trama.daemon.host.FdbEntry;
import dev.trama.net.InterfaceAddress;
import dev.trama.net.Ipv4;
import dev.trama.protocol.Task;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a node's VXLAN device holds in unicast mode, as data, from the cluster's members and names: for every
 * other member an all-zeros entry to its LAN address (broadcast and unknown frames are copied to each), and
 * for every container and bridge on another member a MAC entry to that member and a neighbour entry of its
 * address, so that the device answers ARP itself. MACs are Trama's: a container's is derived from its address
 * ({@link NodeNetwork#containerMac}), a bridge's from its node's name. Nothing of a node that is no member (left
 * or released) is held, nor of this node itself.
 */
public record Forwarding(Set<FdbEntry> entries, Map<Ipv4, String> neighbours) {

    public Forwarding {
        entries = Set.copyOf(entries);
        neighbours = Map.copyOf(neighbours);
    }

    public static Forwarding of(String self, List<Task.Member> members, Task.Names names) {
        Map<String, Ipv4> lanOf = new HashMap<>();
        members.forEach(member -> lanOf.put(member.node(), Ipv4.parse(member.address())));
        Set<FdbEntry> entries = new HashSet<>();
        Map<Ipv4, String> neighbours = new HashMap<>();
        for (Task.Member member : members) {
            if (member.node().equals(self)) {
                continue;
            }
            Ipv4 lan = lanOf.get(member.node());
            entries.add(new FdbEntry(FdbEntry.FLOOD, lan));
            if (member.bridgeIp() != null) {
                String mac = NodeNetwork.stableMac(member.node());
                entries.add(new FdbEntry(mac, lan));
                neighbours.put(InterfaceAddress.parse(member.bridgeIp()).address(), mac);
            }
        }
        names.addresses().forEach((name, address) -> {
            String node = names.nodes().get(name);
            if (node == null || node.equals(self) || !lanOf.containsKey(node)) {
                return;
            }
            Ipv4 ip = Ipv4.parse(address);
            String mac = NodeNetwork.containerMac(ip);
            entries.add(new FdbEntry(mac, lanOf.get(node)));
            neighbours.put(ip, mac);
        });
        return new Forwarding(entries, neighbours);
    }
}
