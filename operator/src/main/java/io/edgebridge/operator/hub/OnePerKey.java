package io.edgebridge.operator.hub;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Queues at most one run per key: for work that takes what is latest when it runs (a status write),
 * more runs queued for the same key would only repeat it. A key leaves the queue as its run starts,
 * so what arrives during a run is picked up by the next one.
 */
final class OnePerKey {

    private final Set<String> queued = ConcurrentHashMap.newKeySet();
    private final Executor executor;

    OnePerKey(Executor executor) {
        this.executor = executor;
    }

    void run(String key, Runnable task) {
        if (queued.add(key)) {
            executor.execute(() -> {
                queued.remove(key);
                task.run();
            });
        }
    }

    int queued() {
        return queued.size();
    }
}
