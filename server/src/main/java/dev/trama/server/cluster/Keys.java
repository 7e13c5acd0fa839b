package dev.trama.server.cluster;

import dev.trama.protocol.VxlanMode;
import dev.trama.server.store.Entry;

import dev.trama.net.Ipv4;
import dev.trama.protocol.PortMapping;

/**
 * The key layout of cluster state in etcd, all under one root (default {@code /trama/v1/}):
 *
 * <pre>
 * cluster/id                 random id of this cluster, made once
 * cluster/subnet             the overlay segment, set by the first node configured
 * cluster/vxlan              the VXLAN mode (multicast when absent), set with the segment
 * cluster/server-key         the servers' CURVE keypair, made once, shared by every server of the cluster
 * cluster/join-secret        the secret of the current join token
 * nodes/NAME                 a registered node (address, bridge address, lease)
 * alive/NAME                 present while the node's lease lives: the node is up
 * node-addresses/ADDRESS     NAME: one node per LAN address
 * ips/ADDRESS                an allocated overlay address and what holds it
 * ports/NODE/PROTO/PORT      a host port of a node published by a container (its name)
 * containers/NAME            a container: node, address, image, state, last task
 * tasks/ID                   a launch or destroy and its outcome
 * metrics/NAME               a node's latest metrics
 * tombstones/NODE/TASK       a container released without its node knowing: the node removes it when back
 * logs/REQUEST               a node's answer to a request for a container's logs, on a 30 s lease
 * </pre>
 */
public record Keys(String root) {

    public static final String DEFAULT_ROOT = "/trama/v1/";

    public Keys {
        if (!root.startsWith("/") || !root.endsWith("/")) {
            throw new IllegalArgumentException("key root must start and end with '/'");
        }
    }

    public static Keys defaults() {
        return new Keys(DEFAULT_ROOT);
    }

    public String clusterId() {
        return root + "cluster/id";
    }

    public String serverKey() {
        return root + "cluster/server-key";
    }

    public String joinSecret() {
        return root + "cluster/join-secret";
    }

    public String subnet() {
        return root + "cluster/subnet";
    }

    public String vxlan() {
        return root + "cluster/vxlan";
    }

    /** The cluster's VXLAN mode as read from its key: multicast when it was never written. */
    static VxlanMode vxlanMode(Entry entry) {
        return entry == null ? VxlanMode.MULTICAST : VxlanMode.parse(entry.text());
    }

    public String nodes() {
        return root + "nodes/";
    }

    public String node(String name) {
        return nodes() + name;
    }

    public String alive() {
        return root + "alive/";
    }

    public String alive(String node) {
        return alive() + node;
    }

    public String nodeAddress(String address) {
        return root + "node-addresses/" + address;
    }

    public String ips() {
        return root + "ips/";
    }

    public String ip(Ipv4 address) {
        return ips() + address;
    }

    public String containers() {
        return root + "containers/";
    }

    public String container(String name) {
        return containers() + name;
    }

    /** A node's answer to a request for a container's logs, kept briefly for whichever server waits for it. */
    public String logs(String requestId) {
        return root + "logs/" + requestId;
    }

    public String ports(String node) {
        return root + "ports/" + node + "/";
    }

    /** The claim on a node's host port: {@code ports/n2/tcp/8080}. */
    public String port(String node, PortMapping mapping) {
        return ports(node) + mapping.protocol() + "/" + mapping.host();
    }

    public String tasks() {
        return root + "tasks/";
    }

    public String task(String id) {
        return tasks() + id;
    }

    public String metrics() {
        return root + "metrics/";
    }

    public String metrics(String node) {
        return metrics() + node;
    }

    public String tombstones(String node) {
        return root + "tombstones/" + node + "/";
    }

    public String tombstone(String node, String taskId) {
        return tombstones(node) + taskId;
    }

    /** The name after a prefix: {@code nameIn(nodes(), node("n1"))} is {@code "n1"}. */
    public static String nameIn(String prefix, String key) {
        return key.substring(prefix.length());
    }
}
