package dev.trama.daemon;

import dev.trama.protocol.Check;
import dev.trama.transport.CurveKeyPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.zeromq.ZMQ;

/**
 * What a node keeps on its own disk, under its state directory (mode 0700, files 0600): its own CURVE keypair
 * (made on its first join: from then on the node is that key), the public key of its cluster's servers (it
 * talks to no other), and the id of the cluster it joined. With them the daemon never mistakes another cluster
 * or server for its own, e.g. after the cluster's etcd was wiped or replaced; {@code trama leave} forgets the
 * cluster and its servers.
 */
final class NodeState {

    private static final String CLUSTER_ID = "cluster-id";
    private static final String NODE_KEY = "node.key";
    private static final String SERVER_KEY = "server.pub";


    private final Path dir;

    NodeState(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    /** The cluster this node belongs to, if it has joined one. */
    Optional<String> clusterId() {
        Path file = dir.resolve(CLUSTER_ID);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(Check.clusterId(read(file).strip()));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " holds no valid cluster id; remove it to join afresh", e);
        }
    }

    /** Remembers the cluster this node has joined. */
    void joined(String clusterId) {
        Check.clusterId(clusterId);
        write(CLUSTER_ID, clusterId + "\n");
    }

    /** The node's own keypair, made (and kept) the first time it is asked for. */
    synchronized CurveKeyPair keys() {
        Path file = dir.resolve(NODE_KEY);
        if (!Files.exists(file)) {
            CurveKeyPair made = CurveKeyPair.generate();
            write(NODE_KEY, made.publicKey() + "\n" + made.secretKey() + "\n");
        }
        List<String> lines = read(file).lines().map(String::strip).toList();
        if (lines.size() != 2 || lines.stream().anyMatch(l -> l.length() != ZMQ.Curve.KEY_SIZE_Z85)) {
            throw new IllegalStateException(file + " holds no valid keypair; remove it (the node will need a join token)");
        }
        try {
            return new CurveKeyPair(lines.get(0), lines.get(1));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " holds no valid keypair; remove it (the node will need a join token)", e);
        }
    }

    /** The public key of the cluster's servers, once the node has trusted one. */
    Optional<String> serverKey() {
        Path file = dir.resolve(SERVER_KEY);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        String key = read(file).strip();
        if (key.length() != ZMQ.Curve.KEY_SIZE_Z85) {
            throw new IllegalStateException(file + " holds no valid server key; remove it (the node will need a join token)");
        }
        return Optional.of(key);
    }

    /** From now on the node talks only to servers that prove this key. */
    void trustServer(String publicKey) {
        write(SERVER_KEY, publicKey + "\n");
    }

    /** Forgets the cluster and its servers: the node left. Its own keypair stays. */
    void forget() {
        for (String name : List.of(CLUSTER_ID, SERVER_KEY)) {
            try {
                Files.deleteIfExists(dir.resolve(name));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + dir.resolve(name) + ": " + e.getMessage(), e);
            }
        }
    }

    /** Writes a file readable by root only, all at once. */
    private void write(String name, String content) {
        try {
            ensureDir();
            Path temp = Files.createTempFile(dir, name, ".tmp", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            try {
                Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Creates the directory, readable by root only, if it does not exist; fails if it cannot be written. */
    void ensureDir() {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            if (!Files.isWritable(dir)) {
                throw new IllegalStateException("state directory " + dir + " is not writable");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the state directory " + dir + ": " + e.getMessage(), e);
        }
    }
}
