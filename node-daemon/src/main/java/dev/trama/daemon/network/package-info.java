/**
 * A node's overlay network. {@link dev.trama.daemon.network.NodeNetwork} is the single place that
 * programs the bridge ({@code trama0}), the VXLAN device ({@code trama-vx}) and the containers' veth
 * pairs ({@code trv} + hash); {@link dev.trama.daemon.network.FirewallPlan} states Trama's iptables
 * rules as data (the overlay's own forwarding paths, VXLAN from the cluster's members only, a DNAT per
 * port the node's containers publish, read from their labels through {@link dev.trama.daemon.network.Publications}) and
 * {@link dev.trama.daemon.network.Firewall} makes the host hold exactly them, changing only the rules
 * that differ ({@link dev.trama.daemon.network.ChainEdits}).
 */
package dev.trama.daemon.network;
