package io.edgebridge.operator.hub;

import io.edgebridge.api.sync.v1.AppBundle;
import io.edgebridge.api.sync.v1.CanonicalJson;
import io.edgebridge.api.sync.v1.SignedBundle;
import io.edgebridge.api.sync.v1.SyncRequest;
import io.edgebridge.api.sync.v1.SyncResponse;
import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.operator.cluster.ClusterIdentity;
import io.edgebridge.operator.identity.BundleSigner;
import io.edgebridge.operator.plan.DesiredStatePlanner;
import io.vertx.core.http.HttpServerRequest;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code POST /sync/v1/clusters/{cluster}/sync}: records the proxy's status, then answers at once
 * with what changed for its cluster, or holds the request until something does or the long-poll
 * ends. Only bundles whose hash differs from what the proxy holds travel.
 */
@ApplicationScoped
public class SyncEndpoint {

    /** Changes when this replica starts: proxies then re-send their full status. */
    private final String epoch = UUID.randomUUID().toString().substring(0, 8);

    @Inject
    DesiredStates desired;

    @Inject
    StatusRecorder recorder;

    @Inject
    Waiters waiters;

    @Inject
    BundleSigner signer;

    @Inject
    ClusterAuthorizer authorizer;

    @Inject
    HubConfig config;

    @Inject
    HubVertx hubVertx;

    @Inject
    AnswersInFlight answers;

    /** Signed bundles by hash: equal bundles for thousands of clusters are signed once. */
    private Map<String, Signed> signatures;

    private record Signed(SignedBundle bundle, long bytes) {
    }

    @PostConstruct
    void init() {
        int limit = config.bundleCacheSize();
        signatures = Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Signed> eldest) {
                return size() > limit;
            }
        });
    }

    public String epoch() {
        return epoch;
    }

    /**
     * Runs on a worker thread.
     *
     * @param certificate serial number of the caller's certificate
     * @param wakes {@link Waiters#wakes()} before {@code cluster} was read from the cache
     */
    void handle(HttpServerRequest http, EdgeCluster cluster, String certificate, SyncRequest request, long wakes) {
        Long ack = recorder.record(cluster, certificate, request.status());
        // Planned once per request: the plan also tells what a state hash of the current state stands for.
        var plan = desired.plan(cluster, recorder.runningRevisions(cluster));
        var known = known(request);
        if (known.isEmpty()) {
            // Status is recorded (and acknowledged by the proxy's next request); only the delta needs the list.
            HubResponses.error(http, 409, "this hub does not know state " + request.stateHash()
                    + " of " + cluster.getMetadata().getName() + ": send the known apps");
            return;
        }
        // The hub's own epoch string when the proxy names it (nearly always): one copy, not one per held sync.
        var held = new Held(known.get(), request.stateHash(),
                epoch.equals(request.epoch()) ? epoch : request.epoch(), ack);
        var answer = answer(plan, held);
        if (answer != null) {
            HubResponses.json(http, HubJson.write(answer));
            return;
        }
        park(http, cluster, held, wakes);
    }

    /**
     * What the proxy holds: the list it sent, or, when it sent only the hash of a whole state (the
     * idle case, to keep each long-poll small), what that hash stands for: a state planned lately by
     * this replica (for this cluster or one like it), or none when the proxy got it elsewhere.
     */
    private Optional<Map<String, String>> known(SyncRequest request) {
        if (request.known() != null) {
            return Optional.of(request.known());
        }
        if (request.stateHash() == null) {
            return Optional.of(Map.of());
        }
        return desired.contents(request.stateHash());
    }

    /** What answering a held sync needs of its request: not the request, whose status report is large. */
    private record Held(Map<String, String> known, String stateHash, String epoch, Long ack) {
    }

    private SyncResponse answer(EdgeCluster cluster, Held held) {
        return answer(desired.plan(cluster, recorder.runningRevisions(cluster)), held);
    }

    private SyncResponse answer(DesiredStatePlanner.Result plan, Held held) {
        List<SignedBundle> changed = new ArrayList<>();
        long bytes = 0;
        boolean more = false;
        for (var bundle : plan.bundles()) {
            if (!bundle.hash().equals(held.known().get(bundle.app()))) {
                var signed = sign(bundle);
                // What does not fit goes in the next answer, which the proxy asks for at once.
                if (!changed.isEmpty() && bytes + signed.bytes() > config.maxResponseBytes()) {
                    more = true;
                    continue;
                }
                bytes += signed.bytes();
                changed.add(signed.bundle());
            }
        }
        List<String> removed = new ArrayList<>();
        for (var app : held.known().keySet()) {
            if (!plan.held().contains(app) && plan.bundles().stream().noneMatch(b -> b.app().equals(app))) {
                removed.add(app);
            }
        }
        removed.sort(null);
        boolean news = !changed.isEmpty() || !removed.isEmpty() || !epoch.equals(held.epoch())
                || !plan.stateHash().equals(held.stateHash());
        // Without a state hash the proxy knows its state is partial and sends its list with the next sync.
        return news ? new SyncResponse(more ? null : plan.stateHash(), changed, removed, held.ack(), epoch, 0) : null;
    }

    private Signed sign(AppBundle bundle) {
        return signatures.computeIfAbsent(bundle.hash(), h -> {
            var signed = signer.sign(bundle);
            return new Signed(signed, CanonicalJson.bytes(bundle).length + signed.signature().length());
        });
    }

    /** Holds the request; answers on a relevant change, at the end of the long-poll, or never if the proxy left. */
    private void park(HttpServerRequest http, EdgeCluster cluster, Held held, long wakesBeforePlanning) {
        HubResponses.keepOnlyWhatTheAnswerReads(http);
        var identity = new ClusterIdentity(cluster.getMetadata().getNamespace(), cluster.getMetadata().getName());
        var uid = cluster.getMetadata().getUid();
        var done = new AtomicBoolean();
        var waiter = new Waiters.Waiter() {
            long timer;

            @Override
            public ClusterIdentity cluster() {
                return identity;
            }

            @Override
            public void recheck() {
                answers.started();
                hubVertx.get().executeBlocking(() -> {
                    try {
                        // Deleting or quarantining ends a held sync at once, as it refuses the next one.
                        var current = authorizer.reauthorize(identity, uid);
                        if (current.refusal() != null) {
                            finish(() -> HubResponses.refuse(http, current.refusal().status(),
                                    current.refusal().reason()));
                            return null;
                        }
                        var answer = answer(current.cluster(), held);
                        if (answer != null) {
                            finish(() -> HubResponses.json(http, HubJson.write(answer)));
                        }
                        return null;
                    } finally {
                        answers.finished();
                    }
                }, false);
            }

            void finish(Runnable respond) {
                if (done.compareAndSet(false, true)) {
                    waiters.unpark(this);
                    hubVertx.get().cancelTimer(timer);
                    respond.run();
                }
            }
        };
        // Nothing changed and nothing to acknowledge: 204 without a body, the cheapest answer on a slow uplink.
        waiter.timer = hubVertx.get().setTimer(config.longPoll().toMillis(), id -> waiter.finish(() -> {
            if (held.ack() == null) {
                HubResponses.noContent(http);
            } else {
                HubResponses.json(http, HubJson.write(new SyncResponse(Objects.requireNonNullElse(
                        held.stateHash(), ""), List.of(), List.of(), held.ack(), epoch, 0)));
            }
        }));
        http.response().closeHandler(closed -> waiter.finish(() -> { }));
        waiters.park(waiter);
        // A change between planning and parking would otherwise wait for the next one; without one,
        // planning again (once for each of ten thousand syncs a long-poll) would find what handle() did.
        if (waiters.wakes() != wakesBeforePlanning) {
            waiter.recheck();
        }
    }
}
