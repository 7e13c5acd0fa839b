package dev.trama.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/** Every core of the machine kept busy by loops of this process, until closed: a loaded host, for robustness tests. */
public final class CpuLoad implements AutoCloseable {

    private final AtomicBoolean busy = new AtomicBoolean(true);
    private final List<Thread> loops = new ArrayList<>();

    private CpuLoad() {
    }

    /** Starts one busy loop per core. */
    public static CpuLoad start() {
        CpuLoad load = new CpuLoad();
        for (int core = 0; core < Runtime.getRuntime().availableProcessors(); core++) {
            Thread loop = new Thread(load::spin, "busy-" + core);
            loop.setDaemon(true);
            load.loops.add(loop);
            loop.start();
        }
        return load;
    }

    private void spin() {
        long turns = 0;
        while (busy.get()) {
            turns++;
        }
        if (turns < 0) {
            // keeps the loop from being optimised away
            System.out.println(turns);
        }
    }

    @Override
    public void close() {
        busy.set(false);
        for (Thread loop : loops) {
            try {
                loop.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
