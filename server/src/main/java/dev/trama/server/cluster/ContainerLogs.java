package dev.trama.server.cluster;

import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Replies;
import dev.trama.protocol.Report;
import dev.trama.protocol.ServerRequest;
import dev.trama.protocol.Task;
import dev.trama.protocol.TramaException;
import dev.trama.server.store.Entry;
import dev.trama.server.store.KeyValueStore;
import dev.trama.server.store.Txn;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A container's logs, read on its node: the server publishes a request to the node and waits for its answer,
 * which the node pushes as a report. The answer is kept in etcd for a moment, so that whichever server of the
 * cluster received the report, the one waiting finds it; it goes when read, or with its lease.
 */
public final class ContainerLogs {

    private static final Logger log = LoggerFactory.getLogger(ContainerLogs.class);
    private static final Duration ANSWER_WAIT = Duration.ofSeconds(4); // within a requester's 5 s
    private static final Duration KEPT = Duration.ofSeconds(30);
    private static final long POLL_MS = 50;

    private final KeyValueStore store;
    private final Keys keys;
    private final Dispatch dispatch;

    public ContainerLogs(KeyValueStore store, Keys keys, Dispatch dispatch) {
        this.store = store;
        this.keys = keys;
        this.dispatch = dispatch;
    }

    public Replies.Logs read(ServerRequest.GetLogs request) {
        Stored.Container container = StoredJson.read(store.get(keys.container(request.name())).orElseThrow(() ->
                new TramaException(ErrorCode.NOT_FOUND, "container '" + request.name() + "' is not in the cluster")),
                Stored.Container.class);
        String node = container.node();
        if (store.get(keys.alive(node)).isEmpty()) {
            throw new TramaException(ErrorCode.UNAVAILABLE, "node '" + node + "' is down: the logs of '" + request.name()
                    + "' can be read when it is back");
        }
        String requestId = UUID.randomUUID().toString();
        dispatch.toNode(node, new Task.FetchLogs(requestId, node, request.name(), request.tail(), request.since()));
        long deadline = System.nanoTime() + ANSWER_WAIT.toNanos();
        while (System.nanoTime() < deadline) {
            Optional<Entry> answer = store.get(keys.logs(requestId));
            if (answer.isPresent()) {
                store.commit(Txn.create().delete(answer.get().key()));
                Report.Logs logs = StoredJson.read(answer.get(), Report.Logs.class);
                if (!logs.node().equals(node) || !logs.name().equals(request.name())) {
                    throw new TramaException(ErrorCode.INTERNAL, "the answer for the logs of '" + request.name()
                            + "' came from another node or container");
                }
                return new Replies.Logs(logs.name(), logs.lines(), logs.running(), logs.more());
            }
            try {
                Thread.sleep(POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw new TramaException(ErrorCode.UNAVAILABLE, "node '" + node + "' did not send the logs of '" + request.name()
                + "' within " + ANSWER_WAIT.toSeconds() + " s");
    }

    /** Keeps a node's answer for the server that waits for it. */
    public void received(Report.Logs report) {
        try {
            long lease = store.grantLease(KEPT);
            store.commit(Txn.create().putWithLease(keys.logs(report.requestId()), StoredJson.bytes(report), lease));
        } catch (TramaException e) {
            log.warn("could not keep the logs of {} from {}: {}", report.name(), report.node(), e.getMessage());
        }
    }
}
