package dev.trama.transport;

import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Request;
import dev.trama.protocol.TramaException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * Request handlers by message type. Registration is typed: a handler for {@code Q extends Request<R>}
 * must return an {@code R}. A handler may take the request alone, or the request and the {@link Peer}
 * that sent it. {@link #requireComplete} proves at start-up that a whole family is served.
 */
public final class Handlers {

    private final Map<Class<?>, BiFunction<Object, Peer, Object>> byType = new HashMap<>();

    @SuppressWarnings("unchecked")
    public <R, Q extends Request<R>> Handlers on(Class<Q> type, Function<? super Q, ? extends R> handler) {
        return register(type, (request, peer) -> handler.apply((Q) request));
    }

    /** A handler that is told who sent each request. */
    @SuppressWarnings("unchecked")
    public <R, Q extends Request<R>> Handlers on(Class<Q> type, BiFunction<? super Q, Peer, ? extends R> handler) {
        return register(type, (request, peer) -> handler.apply((Q) request, peer));
    }

    private Handlers register(Class<?> type, BiFunction<Object, Peer, Object> handler) {
        if (byType.putIfAbsent(type, handler) != null) {
            throw new IllegalStateException("two handlers for " + type.getSimpleName());
        }
        return this;
    }

    public Handlers requireComplete(Class<?> family) {
        for (Class<?> type : family.getPermittedSubclasses()) {
            if (!byType.containsKey(type)) {
                throw new IllegalStateException("no handler for " + type.getSimpleName());
            }
        }
        return this;
    }

    /** Handles a request from a sender nobody knows ({@link Peer#UNKNOWN}). */
    public Object handle(Object request) {
        return handle(request, Peer.UNKNOWN);
    }

    public Object handle(Object request, Peer peer) {
        BiFunction<Object, Peer, Object> handler = byType.get(request.getClass());
        if (handler == null) {
            throw new TramaException(ErrorCode.UNKNOWN_METHOD,
                    "this endpoint does not serve " + request.getClass().getSimpleName());
        }
        return handler.apply(request, peer);
    }
}
