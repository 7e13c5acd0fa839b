package dev.trama.daemon.runtime;

import com.github.dockerjava.api.async.ResultCallback;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A stream from the engine (a pull, a container's logs) whose end is awaited here. docker-java's own
 * {@code awaitCompletion} with a timeout closes the stream when it returns, so waiting a little at a time
 * with it would cut the stream after the first wait. {@link #end} lets a reader stop early.
 */
abstract class Streamed<T> extends ResultCallback.Adapter<T> {

    private final CountDownLatch ended = new CountDownLatch(1);
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /** Whether the stream ended (or was ended) within the time given. */
    final boolean awaitEnd(long timeout, TimeUnit unit) throws InterruptedException {
        return ended.await(timeout, unit);
    }

    /** Stops waiting: what was read is enough. */
    final void end() {
        ended.countDown();
    }

    /** What broke the stream, if anything did. */
    final Throwable failure() {
        return failure.get();
    }

    @Override
    public void onError(Throwable error) {
        failure.compareAndSet(null, error);
        ended.countDown();
        super.onError(error);
    }

    @Override
    public void onComplete() {
        ended.countDown();
        super.onComplete();
    }
}
