package dev.trama.daemon;

import dev.trama.protocol.Check;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * What a node keeps on its own disk, under its state directory (mode 0700, files 0600): the id of the cluster
 * it joined. With it the daemon never mistakes another cluster for its own, e.g. after the cluster's etcd was
 * wiped or replaced; {@code trama leave} forgets it.
 */
final class NodeState {

    private static final String CLUSTER_ID = "cluster-id";

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
            String id = Files.readString(file, StandardCharsets.UTF_8).strip();
            return Optional.of(Check.clusterId(id));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + " holds no valid cluster id; remove it to join afresh", e);
        }
    }

    /** Remembers the cluster this node has joined. */
    void joined(String clusterId) {
        Check.clusterId(clusterId);
        try {
            ensureDir();
            Path temp = Files.createTempFile(dir, CLUSTER_ID, ".tmp", PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, clusterId + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(temp, dir.resolve(CLUSTER_ID), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, dir.resolve(CLUSTER_ID), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the cluster id under " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Forgets the cluster: the node left it. */
    void forget() {
        try {
            Files.deleteIfExists(dir.resolve(CLUSTER_ID));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir.resolve(CLUSTER_ID) + ": " + e.getMessage(), e);
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
