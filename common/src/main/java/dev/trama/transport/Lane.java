package dev.trama.transport;

import dev.trama.concurrent.Threads;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Worker threads and the work waiting for them, bounded and shared fairly among peers.
 *
 * <p>What waits or runs is bounded in count and in bytes, for the lane and for each peer, so that memory
 * stays bounded whatever peers send. Workers take the next piece of work from peer to peer in turn, not
 * in order of arrival, and no peer holds more than its share of the workers at once: a peer that sends a
 * thousand requests delays another peer's request by one turn, not by a thousand.
 */
final class Lane implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Lane.class);

    /** What a lane does with work offered to it. */
    enum Offer {
        ACCEPTED,
        /** The peer already has as much waiting as it may. */
        PEER_FULL,
        /** The lane already has as much waiting as it may. */
        FULL
    }

    /**
     * @param queued      most pieces of work waiting or running in the lane
     * @param bytes       most bytes of work waiting or running in the lane
     * @param peerQueued  most pieces of work waiting or running for one peer
     * @param peerBytes   most bytes of work waiting or running for one peer
     * @param peerRunning most workers one peer holds at once
     */
    record Limits(int queued, long bytes, int peerQueued, long peerBytes, int peerRunning) {
    }

    private final String name;
    private final Limits limits;
    private final List<Thread> workers = new ArrayList<>();
    private final Map<String, PeerWork> byPeer = new HashMap<>();
    /** Peers with work waiting and a worker to spare, in turn. */
    private final ArrayDeque<PeerWork> turns = new ArrayDeque<>();
    private int queued;
    private long bytes;
    private boolean closed;

    Lane(String name, int workerCount, Limits limits) {
        this.name = name;
        this.limits = limits;
        ThreadFactory threads = Threads.numbered(name);
        for (int i = 0; i < workerCount; i++) {
            Thread worker = threads.newThread(this::work);
            workers.add(worker);
            worker.start();
        }
    }

    synchronized Offer offer(String peer, long size, Runnable work) {
        if (closed) {
            return Offer.FULL;
        }
        PeerWork mine = byPeer.get(peer);
        int peerQueued = mine == null ? 0 : mine.queued;
        long peerBytes = mine == null ? 0 : mine.bytes;
        if (peerQueued >= limits.peerQueued() || peerBytes + size > limits.peerBytes()) {
            return Offer.PEER_FULL;
        }
        if (queued >= limits.queued() || bytes + size > limits.bytes()) {
            return Offer.FULL;
        }
        if (mine == null) {
            mine = new PeerWork(peer);
            byPeer.put(peer, mine);
        }
        mine.waiting.add(new Job(work, size));
        mine.queued++;
        mine.bytes += size;
        queued++;
        bytes += size;
        takeTurnIfDue(mine);
        return Offer.ACCEPTED;
    }

    private void work() {
        while (true) {
            PeerWork peer;
            Job job;
            synchronized (this) {
                while (turns.isEmpty() && !closed) {
                    try {
                        wait();
                    } catch (InterruptedException e) {
                        // only closing ends a worker
                    }
                }
                if (closed) {
                    return;
                }
                peer = turns.poll();
                peer.inTurn = false;
                job = peer.waiting.poll();
                peer.running++;
                takeTurnIfDue(peer);
            }
            try {
                job.work().run();
            } catch (Throwable e) {
                log.error("{} failed to run a piece of work", name, e);
            } finally {
                done(peer, job);
            }
        }
    }

    private synchronized void done(PeerWork peer, Job job) {
        peer.running--;
        peer.queued--;
        peer.bytes -= job.size();
        queued--;
        bytes -= job.size();
        if (peer.queued == 0) {
            byPeer.remove(peer.key);
        } else {
            takeTurnIfDue(peer);
        }
    }

    /** Puts a peer at the back of the turns if it has work waiting and may hold one more worker. */
    private void takeTurnIfDue(PeerWork peer) {
        if (!peer.inTurn && !peer.waiting.isEmpty() && peer.running < limits.peerRunning()) {
            peer.inTurn = true;
            turns.add(peer);
            notify();
        }
    }

    /** Drops the work that waits and lets each worker end once it has finished what it is running. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
            turns.clear();
            notifyAll();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        for (Thread worker : workers) {
            try {
                worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private record Job(Runnable work, long size) {
    }

    private static final class PeerWork {
        final String key;
        final ArrayDeque<Job> waiting = new ArrayDeque<>();
        int queued;
        long bytes;
        int running;
        boolean inTurn;

        PeerWork(String key) {
            this.key = key;
        }
    }
}
