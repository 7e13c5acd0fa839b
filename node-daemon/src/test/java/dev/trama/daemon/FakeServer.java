package dev.trama.daemon;

import dev.trama.protocol.Request;
import dev.trama.transport.Requester;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** A server that answers what the test tells it to, and remembers what it was asked. */
final class FakeServer implements Requester {

    record Call(Object request, Duration timeout) {
    }

    final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile Function<Object, Object> answers = request -> {
        throw new AssertionError("unexpected request " + request);
    };

    /** What to answer from now on: a result, or a thrown TramaException. */
    FakeServer answering(Function<Object, Object> answers) {
        this.answers = answers;
        return this;
    }

    <T> List<T> requests(Class<T> type) {
        return calls.stream().map(Call::request).filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public <R> R call(Request<R> request) {
        return call(request, null, 1);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <R> R call(Request<R> request, Duration timeout, int attempts) {
        calls.add(new Call(request, timeout));
        return (R) answers.apply(request);
    }
}
