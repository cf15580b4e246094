package io.edgebridge.operator.cluster;

import io.edgebridge.api.sync.v1.CanonicalJson;
import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.api.v1alpha1.EdgeClusterStatus;
import io.edgebridge.api.v1alpha1.EdgeNode;
import io.edgebridge.api.v1alpha1.NodeRole;
import io.edgebridge.operator.config.OperatorConfig;
import io.edgebridge.operator.fleet.FleetCache;
import io.edgebridge.operator.fleet.SharedObjects;
import io.edgebridge.operator.identity.CertificateAuthority;
import io.edgebridge.operator.plan.LabelSelectors;

import io.edgebridge.operator.status.Conditions;
import io.edgebridge.operator.status.EventRecorder;
import io.edgebridge.operator.status.Requeue;
import io.edgebridge.operator.status.StatusWriter;
import io.fabric8.kubernetes.api.model.Secret;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.inbound.SimpleInboundEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.Mappers;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Reconciles an EdgeCluster: resolves its member devices, gives them stable addresses, keeps the
 * bootstrap and K3s tokens, renders each device's EVE-k settings, and turns what the edge proxy
 * reports (written by the hub) into conditions.
 */
@ControllerConfiguration(name = "edgecluster", generationAwareEventProcessing = false,
        informer = @Informer(itemStore = SharedObjects.Clusters.class))
public class EdgeClusterReconciler implements Reconciler<EdgeCluster> {

    private static final Logger LOG = Logger.getLogger(EdgeClusterReconciler.class);

    @Inject
    FleetCache fleet;

    @Inject
    ClusterSecrets secrets;

    @Inject
    CertificateAuthority authority;

    @Inject
    StatusWriter statusWriter;

    @Inject
    EventRecorder events;

    @Inject
    OperatorConfig config;

    Clock clock = Clock.systemUTC();

    @Override
    public List<EventSource<?, EdgeCluster>> prepareEventSources(EventSourceContext<EdgeCluster> context) {
        fleet.ensureStarted();
        var secretSource = new InformerEventSource<>(InformerEventSourceConfiguration
                .from(Secret.class, EdgeCluster.class)
                .withName("secrets")
                .withLabelSelector(ClusterSecrets.CLUSTER_LABEL)
                .withItemStore(new SecretMetadataStore())
                .withSecondaryToPrimaryMapper(Mappers.fromOwnerReferences(EdgeCluster.class))
                .build(), context);
        var fleetEvents = new SimpleInboundEventSource<EdgeCluster>("fleet");
        var clusters = context.getPrimaryCache();
        // A device's labels or existence changes membership; another cluster's spec can contest a
        // device. Only the clusters concerned are reconciled: in a fleet of ten thousand, "all of the
        // namespace" on every device event is a hundred million reconciles.
        fleet.onNodeChange((before, after) -> {
            var node = after != null ? after : before;
            if (before == null || after == null
                    || !Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())
                    || !Objects.equals(before.getSpec(), after.getSpec())) {
                concerned(node.getMetadata().getNamespace(), Set.of(node.getMetadata().getName()), null)
                        .forEach(c -> fleetEvents.propagateEvent(ResourceID.fromResource(c)));
            }
        });
        fleet.onClusterChange((before, after) -> {
            if (before == null || after == null
                    || !Objects.equals(before.getMetadata().getGeneration(), after.getMetadata().getGeneration())) {
                var changed = after != null ? after : before;
                var namespace = changed.getMetadata().getNamespace();
                Set<String> nodes = new HashSet<>();
                for (var cluster : new EdgeCluster[] {before, after}) {
                    nodes.addAll(nodesOf(cluster, namespace));
                }
                concerned(namespace, nodes, changed.getMetadata().getName())
                        .forEach(c -> fleetEvents.propagateEvent(ResourceID.fromResource(c)));
            }
        });
        return List.of(secretSource, fleetEvents);
    }

    @Override
    public UpdateControl<EdgeCluster> reconcile(EdgeCluster cluster, Context<EdgeCluster> context) {
        var now = clock.instant();
        var meta = cluster.getMetadata();
        if (meta.getDeletionTimestamp() != null) {
            return UpdateControl.noUpdate(); // its Secrets go with it (owner references)
        }
        var namespace = meta.getNamespace();
        var membership = Membership.resolve(cluster, Membership.Fleet.of(fleet, namespace));
        var cached = context.getSecondaryResources(Secret.class);

        String problem = null;
        Map<String, String> addresses = Map.of();
        try {
            addresses = addresses(cluster, membership);
        } catch (AddressAllocator.PrefixExhaustedException e) {
            problem = e.getMessage();
        }
        var bootstrap = secrets.ensureBootstrapToken(cluster, cached, config.bootstrapTokenTtl(), now);
        if (problem == null && !membership.members().isEmpty()) {
            var k3s = secrets.ensureK3sToken(cluster, cached);
            renderNodeSettings(cluster, membership, addresses, bootstrap, k3s, cached);
        }
        secrets.deleteStaleNodeSettings(cached, membership.members().stream().map(Membership.Member::name)
                .collect(Collectors.toSet()));

        var output = ClusterStatusBuilder.build(new ClusterStatusBuilder.Input(cluster, membership, addresses, problem,
                bootstrap.secretName(), config.lastSeenInterval(), now));
        var owned = ClusterStatusBuilder.owned(cluster.getStatus());
        reportTransitions(cluster, owned, output.status());
        var retry = statusWriter.write(cluster, owned, output.status());
        return Requeue.after(retry, output.recheckAt().map(at -> Duration.between(now, at)),
                tokenExpiry(cached, bootstrap.secretName()).map(at -> Duration.between(now, at)));
    }

    /** The clusters that claim or hold any of these nodes, but {@code except}. */
    private Set<EdgeCluster> concerned(String namespace, Set<String> nodes, String except) {
        Set<EdgeCluster> clusters = new HashSet<>();
        for (var node : nodes) {
            clusters.addAll(fleet.claimants(namespace, node));
            clusters.addAll(fleet.clustersWithMember(namespace, node));
        }
        clusters.removeIf(c -> c.getMetadata().getName().equals(except));
        return clusters;
    }

    /** The nodes a cluster lists, selects or has as members. */
    private Set<String> nodesOf(EdgeCluster cluster, String namespace) {
        Set<String> nodes = new HashSet<>();
        if (cluster == null) {
            return nodes;
        }
        var spec = cluster.getSpec();
        if (spec != null && spec.nodes() != null) {
            spec.nodes().forEach(n -> nodes.add(n.name()));
        }
        if (spec != null && spec.nodeSelector() != null) {
            fleet.nodes(namespace).stream()
                    .filter(n -> LabelSelectors.matches(spec.nodeSelector(), n.getMetadata().getLabels()))
                    .forEach(n -> nodes.add(n.getMetadata().getName()));
        }
        if (cluster.getStatus() != null && cluster.getStatus().nodes() != null) {
            cluster.getStatus().nodes().forEach(n -> nodes.add(n.name()));
        }
        return nodes;
    }

    private Map<String, String> addresses(EdgeCluster cluster, Membership.Result membership)
            throws AddressAllocator.PrefixExhaustedException {
        var network = cluster.getSpec().network();
        if (network == null) {
            return Map.of();
        }
        Map<String, String> previous = new HashMap<>();
        for (var member : membership.members()) {
            var status = member.node().getStatus();
            if (status != null && status.cluster() != null && cluster.getMetadata().getName().equals(status.cluster().name())
                    && status.cluster().ip() != null) {
                previous.put(member.name(), status.cluster().ip());
            }
        }
        // The cluster's own record wins over what nodes say.
        if (cluster.getStatus() != null && cluster.getStatus().nodes() != null) {
            cluster.getStatus().nodes().stream().filter(n -> n.ip() != null)
                    .forEach(n -> previous.put(n.name(), n.ip()));
        }
        return AddressAllocator.allocate(network.ipPrefix(),
                membership.members().stream().map(Membership.Member::name).toList(), previous);
    }

    /**
     * Writes each member's EVE-k settings when they changed. The change is detected from hashes of
     * the inputs, so tokens are read from the API server only when a Secret must be rewritten.
     */
    private void renderNodeSettings(EdgeCluster cluster, Membership.Result membership, Map<String, String> addresses,
            ClusterSecrets.Token bootstrap, ClusterSecrets.Token k3s, java.util.Set<Secret> cached) {
        var meta = cluster.getMetadata();
        var network = cluster.getSpec().network();
        var bootstrapNode = membership.members().get(0);
        var joinServerIp = addresses.get(bootstrapNode.name());
        var caBundle = authority.bundlePem();
        var manifestKey = CanonicalJson.hash(List.of(ClusterIdentity.of(cluster), config.hubUrl(), caBundle,
                Objects.toString(bootstrap.sha256()), config.edgeProxyImage()), 16);
        String k3sToken = null;
        String manifest = null;
        for (var member : membership.members()) {
            boolean isBootstrap = member == bootstrapNode;
            var ip = addresses.get(member.name());
            var prefixLength = network == null ? null : network.ipPrefix().substring(network.ipPrefix().indexOf('/'));
            var shape = settings(cluster, member, ip == null || prefixLength == null ? null : ip + prefixLength,
                    joinServerIp, isBootstrap, "sha256:" + k3s.sha256(), isBootstrap ? "inputs:" + manifestKey : null);
            var hash = CanonicalJson.hash(shape, 16);
            if (secrets.nodeSettingsCurrent(cached, meta.getName(), member.name(), hash)) {
                continue;
            }
            if (k3sToken == null) {
                k3sToken = secrets.readToken(meta.getNamespace(), k3s.secretName());
            }
            if (isBootstrap && manifest == null) {
                var token = secrets.readToken(meta.getNamespace(), bootstrap.secretName());
                manifest = RegistrationManifest.gzipBase64(RegistrationManifest.yaml(new RegistrationManifest.Inputs(
                        ClusterIdentity.of(cluster), config.hubUrl(), caBundle, token, config.edgeProxyImage())));
            }
            var real = settings(cluster, member, shape.clusterIpPrefix(), joinServerIp, isBootstrap, k3sToken,
                    isBootstrap ? manifest : null);
            secrets.writeNodeSettings(cluster, member.name(), new String(CanonicalJson.bytes(real)), hash);
            LOG.infof("EdgeCluster %s/%s: rendered EVE-k settings for node %s", meta.getNamespace(), meta.getName(),
                    member.name());
        }
    }

    private static EveClusterSettings settings(EdgeCluster cluster, Membership.Member member, String ipPrefix,
            String joinServerIp, boolean bootstrap, String token, String manifest) {
        var network = cluster.getSpec().network();
        return new EveClusterSettings(cluster.getMetadata().getName(), cluster.getMetadata().getUid(),
                network == null ? null : network.interfaceLabel(), ipPrefix, member.role() == NodeRole.AGENT,
                joinServerIp, bootstrap, EveClusterSettings.K3S_BASE, token, manifest);
    }

    private static Optional<Instant> tokenExpiry(java.util.Set<Secret> cached, String name) {
        return cached.stream().filter(s -> name.equals(s.getMetadata().getName()))
                .map(s -> s.getMetadata().getAnnotations())
                .filter(a -> a != null && a.get(ClusterSecrets.USED_ANNOTATION) == null
                        && a.get(ClusterSecrets.EXPIRES_ANNOTATION) != null)
                .map(a -> Instant.parse(a.get(ClusterSecrets.EXPIRES_ANNOTATION)))
                .findFirst();
    }

    private void reportTransitions(EdgeCluster cluster, EdgeClusterStatus before, EdgeClusterStatus after) {
        var was = before == null ? null : before.phase();
        if (was == after.phase()) {
            return;
        }
        var meta = cluster.getMetadata();
        LOG.infof("EdgeCluster %s/%s: %s -> %s (nodes %s)", meta.getNamespace(), meta.getName(), was, after.phase(),
                after.display().nodes());
        Conditions.find(after.conditions(), ClusterStatusBuilder.PROVISIONED)
                // Missing or no members are usually the moment before the nodes are applied: the
                // condition says it; an Event would be noise.
                .filter(c -> Conditions.FALSE.equals(c.getStatus())
                        && !"NoMembers".equals(c.getReason()) && !"MissingNodes".equals(c.getReason()))
                .ifPresent(c -> events.warning(cluster, c.getReason(), c.getMessage()));
    }
}
