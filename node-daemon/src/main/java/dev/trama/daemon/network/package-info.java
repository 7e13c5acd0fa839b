/**
 * A node's overlay network. {@link dev.trama.daemon.network.NodeNetwork} is the single place that
 * programs the bridge ({@code trama0}), the VXLAN device ({@code trama-vx}) and the containers' veth
 * pairs ({@code trv} + hash); {@link dev.trama.daemon.network.FirewallPlan} states Trama's iptables
 * rules as data and {@link dev.trama.daemon.network.Firewall} makes the host hold exactly them.
 */
package dev.trama.daemon.network;
