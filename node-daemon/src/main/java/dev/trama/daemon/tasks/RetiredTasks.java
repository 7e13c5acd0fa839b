package dev.trama.daemon.tasks;

import java.util.LinkedHashMap;
import java.util.Map;

/** Task ids that must not be carried out again, the oldest forgotten beyond a bound. Thread-safe. */
final class RetiredTasks {

    private final Map<String, Boolean> ids;

    RetiredTasks(int bound) {
        this.ids = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > bound;
            }
        };
    }

    synchronized void add(String taskId) {
        ids.put(taskId, Boolean.TRUE);
    }

    synchronized boolean contains(String taskId) {
        return ids.containsKey(taskId);
    }
}
