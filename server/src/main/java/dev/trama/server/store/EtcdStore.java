package dev.trama.server.store;

import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;
import io.etcd.jetcd.ByteSequence;
import io.etcd.jetcd.Client;
import io.etcd.jetcd.ClientBuilder;
import io.etcd.jetcd.KV;
import io.etcd.jetcd.KeyValue;
import io.etcd.jetcd.Watch;
import io.etcd.jetcd.common.exception.EtcdExceptionFactory;
import io.etcd.jetcd.kv.GetResponse;
import io.etcd.jetcd.kv.TxnResponse;
import io.etcd.jetcd.op.Cmp;
import io.etcd.jetcd.op.CmpTarget;
import io.etcd.jetcd.op.Op;
import io.etcd.jetcd.options.DeleteOption;
import io.etcd.jetcd.options.GetOption;
import io.etcd.jetcd.options.PutOption;
import io.etcd.jetcd.options.WatchOption;
import io.etcd.jetcd.watch.WatchEvent;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.ClientInterceptor;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;

/**
 * {@link KeyValueStore} on etcd v3 through jetcd, in plain text or over TLS with a client certificate.
 * Until etcd has answered once, a call fails as soon as its connection does, so that the failure tells
 * why: a TLS disagreement then ends in an {@link EtcdTlsException} rather than in waiting for an etcd
 * that is there. From then on a call waits up to the timeout for a lost connection to come back.
 */
public final class EtcdStore implements KeyValueStore {

    private static final int PAGE = 10_000;
    private static final byte[] EMPTY = new byte[0];

    private final Client client;
    private final KV kv;
    private final Duration timeout;
    private final String description;
    private final List<URI> endpoints;
    private final boolean tls;
    private final AtomicLong roundTrips = new AtomicLong();
    private volatile boolean answered;

    /** A store on etcd in plain text. */
    public EtcdStore(List<String> endpoints, Duration timeout) {
        this(endpoints, null, timeout);
    }

    /**
     * A store on etcd over TLS when {@code tls} is given, else in plain text. A TLS file that cannot be
     * used is refused at once with an IllegalArgumentException naming it.
     */
    public EtcdStore(List<String> endpoints, EtcdTls tls, Duration timeout) {
        this.endpoints = endpoints.stream().map(URI::create).toList();
        this.tls = tls != null;
        this.timeout = timeout;
        this.description = "etcd at " + String.join(",", endpoints);
        ClientBuilder builder = Client.builder()
                .endpoints(this.endpoints.toArray(URI[]::new))
                .connectTimeout(timeout)
                .retryDelay(50)
                .retryMaxDelay(1_000)
                .retryMaxDuration(timeout)
                .interceptor(new FailFastUntilAnswered());
        if (tls != null) {
            try {
                builder.sslContext(tls::configure);
            } catch (SSLException e) {
                throw new IllegalArgumentException("cannot use the etcd TLS files " + tls.cert() + " and " + tls.key() + ": "
                        + e.getMessage(), e);
            }
        }
        this.client = builder.build();
        this.kv = client.getKVClient();
    }

    @Override
    public Optional<Entry> get(String key) {
        GetResponse response = await(kv.get(bytes(key)));
        return response.getKvs().stream().findFirst().map(EtcdStore::entry);
    }

    @Override
    public Map<String, Entry> getAll(List<String> keys) {
        if (keys.isEmpty()) {
            return Map.of();
        }
        Op[] gets = keys.stream().map(k -> Op.get(bytes(k), GetOption.DEFAULT)).toArray(Op[]::new);
        TxnResponse response = await(kv.txn().Then(gets).commit());
        Map<String, Entry> found = new HashMap<>();
        response.getGetResponses().forEach(r -> r.getKvs().forEach(kv -> found.put(text(kv.getKey()), entry(kv))));
        return found;
    }

    @Override
    public Listing list(String prefix) {
        return list(prefix, false);
    }

    @Override
    public Listing listKeys(String prefix) {
        return list(prefix, true);
    }

    private Listing list(String prefix, boolean keysOnly) {
        List<Entry> entries = new ArrayList<>();
        ByteSequence end = prefixEnd(prefix);
        ByteSequence from = bytes(prefix);
        long revision = 0;
        while (true) {
            GetOption.Builder option = GetOption.builder()
                    .withRange(end)
                    .withKeysOnly(keysOnly)
                    .withLimit(PAGE)
                    .withSortField(GetOption.SortTarget.KEY)
                    .withSortOrder(GetOption.SortOrder.ASCEND);
            if (revision != 0) {
                option.withRevision(revision);
            }
            GetResponse page = await(kv.get(from, option.build()));
            if (revision == 0) {
                revision = page.getHeader().getRevision();
            }
            page.getKvs().forEach(kv -> entries.add(entry(kv)));
            if (!page.isMore() || page.getKvs().isEmpty()) {
                return new Listing(entries, revision);
            }
            byte[] last = page.getKvs().get(page.getKvs().size() - 1).getKey().getBytes();
            byte[] next = java.util.Arrays.copyOf(last, last.length + 1);
            from = ByteSequence.from(next);
        }
    }

    @Override
    public TxnResult commit(Txn txn) {
        List<Cmp> conditions = new ArrayList<>();
        for (Txn.Condition condition : txn.conditions()) {
            if (condition instanceof Txn.Absent absent) {
                conditions.add(new Cmp(bytes(absent.key()), Cmp.Op.EQUAL, CmpTarget.createRevision(0)));
            } else if (condition instanceof Txn.Unchanged unchanged) {
                conditions.add(new Cmp(bytes(unchanged.key()), Cmp.Op.EQUAL, CmpTarget.modRevision(unchanged.modRevision())));
            }
        }
        List<Op> ops = new ArrayList<>();
        for (Txn.Op op : txn.ops()) {
            if (op instanceof Txn.Put put) {
                PutOption option = put.lease() == Txn.NO_LEASE ? PutOption.DEFAULT
                        : PutOption.builder().withLeaseId(put.lease()).build();
                ops.add(Op.put(bytes(put.key()), ByteSequence.from(put.value()), option));
            } else if (op instanceof Txn.Delete delete) {
                ops.add(Op.delete(bytes(delete.key()), DeleteOption.DEFAULT));
            }
        }
        Op[] reads = txn.reads().stream().map(k -> Op.get(bytes(k), GetOption.DEFAULT)).toArray(Op[]::new);
        TxnResponse response = await(kv.txn()
                .If(conditions.toArray(Cmp[]::new))
                .Then(ops.toArray(Op[]::new))
                .Else(reads)
                .commit());
        if (response.isSucceeded()) {
            return new TxnResult(true, Map.of());
        }
        Map<String, Entry> found = new HashMap<>();
        response.getGetResponses().forEach(r -> r.getKvs().forEach(kv -> found.put(text(kv.getKey()), entry(kv))));
        return new TxnResult(false, found);
    }

    @Override
    public long grantLease(Duration ttl) {
        return await(client.getLeaseClient().grant(Math.max(1, ttl.toSeconds()))).getID();
    }

    /** jetcd reports a lease etcd no longer knows as NOT_FOUND; any other failure is the store's. */
    @Override
    public boolean renewLease(long lease) {
        return await(client.getLeaseClient().keepAliveOnce(lease).handle((response, failure) -> {
            if (failure == null) {
                return response.getTTL() > 0;
            }
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
            if (EtcdExceptionFactory.toEtcdException(cause).getErrorCode() == io.etcd.jetcd.common.exception.ErrorCode.NOT_FOUND) {
                return false;
            }
            throw new CompletionException(cause);
        }));
    }

    @Override
    public AutoCloseable watch(String prefix, long afterRevision, WatchListener listener) {
        WatchOption option = WatchOption.builder()
                .withRange(prefixEnd(prefix))
                .withRevision(afterRevision + 1)
                .build();
        roundTrips.incrementAndGet();
        Watch.Watcher watcher = client.getWatchClient().watch(bytes(prefix), option, Watch.listener(response -> {
            for (WatchEvent event : response.getEvents()) {
                KeyValue kv = event.getKeyValue();
                if (event.getEventType() == WatchEvent.EventType.PUT) {
                    listener.onPut(text(kv.getKey()), kv.getValue().getBytes(), kv.getModRevision());
                } else if (event.getEventType() == WatchEvent.EventType.DELETE) {
                    listener.onDelete(text(kv.getKey()), kv.getModRevision());
                }
            }
        }, listener::onBroken));
        return watcher::close;
    }

    @Override
    public long roundTrips() {
        return roundTrips.get();
    }

    @Override
    public void close() {
        client.close();
    }

    private <T> T await(CompletableFuture<T> future) {
        roundTrips.incrementAndGet();
        try {
            T answer = future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            answered = true;
            return answer;
        } catch (TimeoutException e) {
            future.cancel(true);
            throw unavailable("did not answer within " + timeout.toMillis() / 1000.0 + " s", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (!answered) {
                Optional<String> tlsTrouble = TlsDiagnosis.of(cause, tls, endpoints, timeout);
                if (tlsTrouble.isPresent()) {
                    throw new EtcdTlsException("cannot talk to " + description + ": " + tlsTrouble.get(), e);
                }
            }
            if (Status.fromThrowable(cause).getCode() == Status.Code.UNAVAILABLE) {
                throw unavailable("is unreachable (" + TlsDiagnosis.deepestMessage(cause) + ")", e);
            }
            throw unavailable(cause.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unavailable("interrupted", e);
        }
    }

    private TramaException unavailable(String why, Throwable cause) {
        return new TramaException(ErrorCode.STORE_UNAVAILABLE, "cluster store unavailable: " + description + " " + why, cause);
    }

    /**
     * Lets calls fail fast, with the cause of a failed connection, until etcd has answered once; jetcd
     * otherwise makes every call wait for a connection that may never come.
     */
    private final class FailFastUntilAnswered implements ClientInterceptor {
        @Override
        public <Q, R> ClientCall<Q, R> interceptCall(MethodDescriptor<Q, R> method, CallOptions options, Channel next) {
            return next.newCall(method, answered ? options : options.withoutWaitForReady());
        }
    }

    private static Entry entry(KeyValue kv) {
        byte[] value = kv.getValue() == null ? EMPTY : kv.getValue().getBytes();
        return new Entry(text(kv.getKey()), value, kv.getModRevision());
    }

    private static ByteSequence bytes(String s) {
        return ByteSequence.from(s, StandardCharsets.UTF_8);
    }

    private static String text(ByteSequence b) {
        return b.toString(StandardCharsets.UTF_8);
    }

    /** The smallest key after every key that starts with the prefix (etcd's range end for a prefix). */
    static ByteSequence prefixEnd(String prefix) {
        byte[] end = prefix.getBytes(StandardCharsets.UTF_8);
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xff) {
                end[i]++;
                return ByteSequence.from(java.util.Arrays.copyOf(end, i + 1));
            }
        }
        return ByteSequence.from(new byte[] {0});
    }
}
