package dev.trama.server.store;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * An atomic change: if every condition holds, every operation is applied; otherwise nothing is, and
 * the keys named by {@link #readOnFailure} are read in the same round trip so the caller can tell
 * which condition failed.
 */
public final class Txn {

    public sealed interface Condition {
    }

    /** The key does not exist. */
    public record Absent(String key) implements Condition {
    }

    /** The key exists and was last changed at this revision. */
    public record Unchanged(String key, long modRevision) implements Condition {
    }

    public sealed interface Op {
    }

    /** A put; with a lease other than {@link #NO_LEASE} the key vanishes when the lease expires. */
    public record Put(String key, byte[] value, long lease) implements Op {
    }

    public static final long NO_LEASE = 0;

    public record Delete(String key) implements Op {
    }

    private final List<Condition> conditions = new ArrayList<>();
    private final List<Op> ops = new ArrayList<>();
    private final List<String> reads = new ArrayList<>();

    public static Txn create() {
        return new Txn();
    }

    public Txn ifAbsent(String key) {
        conditions.add(new Absent(key));
        return this;
    }

    public Txn ifUnchanged(Entry entry) {
        conditions.add(new Unchanged(entry.key(), entry.modRevision()));
        return this;
    }

    public Txn put(String key, byte[] value) {
        ops.add(new Put(key, value, NO_LEASE));
        return this;
    }

    /** Puts a key that lives only as long as the lease. */
    public Txn putWithLease(String key, byte[] value, long lease) {
        ops.add(new Put(key, value, lease));
        return this;
    }

    public Txn put(String key, String value) {
        return put(key, value.getBytes(StandardCharsets.UTF_8));
    }

    public Txn delete(String key) {
        ops.add(new Delete(key));
        return this;
    }

    public Txn readOnFailure(String key) {
        reads.add(key);
        return this;
    }

    public List<Condition> conditions() {
        return List.copyOf(conditions);
    }

    public List<Op> ops() {
        return List.copyOf(ops);
    }

    public List<String> reads() {
        return List.copyOf(reads);
    }
}
