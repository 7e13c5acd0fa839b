package dev.trama.transport;

import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Request;
import dev.trama.protocol.TramaException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Request handlers by message type. Registration is typed: a handler for {@code Q extends Request<R>}
 * must return an {@code R}. {@link #requireComplete} proves at start-up that a whole family is served.
 */
public final class Handlers {

    private final Map<Class<?>, Function<Object, Object>> byType = new HashMap<>();

    @SuppressWarnings("unchecked")
    public <R, Q extends Request<R>> Handlers on(Class<Q> type, Function<? super Q, ? extends R> handler) {
        if (byType.putIfAbsent(type, request -> handler.apply((Q) request)) != null) {
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

    public Object handle(Object request) {
        Function<Object, Object> handler = byType.get(request.getClass());
        if (handler == null) {
            throw new TramaException(ErrorCode.UNKNOWN_METHOD,
                    "this endpoint does not serve " + request.getClass().getSimpleName());
        }
        return handler.apply(request);
    }
}
