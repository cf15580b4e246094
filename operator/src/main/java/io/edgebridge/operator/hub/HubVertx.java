package io.edgebridge.operator.hub;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * The hub's own Vert.x: event loops, timers and workers for proxy connections, held syncs and their
 * re-planning. On the application's, ten thousand proxies reconnecting queued the operator's API
 * calls (its leader Lease renewals among them) behind their handshakes until they timed out, and
 * the operator exited. Made on first use (not at all when the hub is off); closed with the
 * application, also when the hub failed to start.
 */
@ApplicationScoped
public class HubVertx {

    private volatile Vertx vertx;

    /** Called for every held sync: locks only the first time. */
    public Vertx get() {
        var made = vertx;
        if (made != null) {
            return made;
        }
        synchronized (this) {
            if (vertx == null) {
                vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
            }
            return vertx;
        }
    }

    @PreDestroy
    synchronized void close() {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().join();
            vertx = null;
        }
    }
}
