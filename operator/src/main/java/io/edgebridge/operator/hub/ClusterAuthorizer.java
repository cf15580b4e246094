package io.edgebridge.operator.hub;

import io.edgebridge.api.v1alpha1.EdgeCluster;
import io.edgebridge.operator.cluster.ClusterIdentity;
import io.edgebridge.operator.fleet.FleetCache;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.security.cert.X509Certificate;
import java.util.HashSet;
import java.util.Optional;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;

/**
 * Decides whether a client certificate may act for a cluster: it must name that cluster, belong
 * to the cluster object as it exists now (same uid), and no member device may be quarantined.
 * Checked on every request, so deleting or quarantining makes a certificate useless at once.
 */
@ApplicationScoped
public class ClusterAuthorizer {

    @Inject
    FleetCache fleet;

    /** Why a request is refused, with the HTTP status to answer. */
    public record Refusal(int status, String reason) {
    }

    /** The cluster the certificate may act for, or why not. */
    public Result authorize(X509Certificate certificate, String pathIdentity) {
        var subject = subject(certificate);
        if (subject.cn() == null) {
            return Result.refused(401, "the client certificate names no cluster");
        }
        if (!subject.cn().equals(pathIdentity)) {
            return Result.refused(403, "certificate of " + subject.cn() + " used for " + pathIdentity);
        }
        var identity = ClusterIdentity.parse(pathIdentity);
        if (identity.isEmpty()) {
            return Result.refused(400, "not a cluster identity: " + pathIdentity);
        }
        return current(identity.get().namespace(), identity.get().name(), subject.ou());
    }

    /**
     * Whether a cluster allowed earlier still is: a held sync outlives its authorization check, and
     * the cluster may have been deleted, re-created or quarantined meanwhile.
     */
    public Result reauthorize(ClusterIdentity cluster, String uid) {
        return current(cluster.namespace(), cluster.name(), uid);
    }

    private Result current(String namespace, String name, String uid) {
        var identity = namespace + "." + name;
        var cluster = fleet.cluster(namespace, name);
        if (cluster.isEmpty() || cluster.get().getMetadata().getDeletionTimestamp() != null) {
            return Result.refused(403, "cluster " + identity + " does not exist");
        }
        if (!cluster.get().getMetadata().getUid().equals(uid)) {
            return Result.refused(403, "certificate of an earlier cluster named " + identity);
        }
        return quarantined(cluster.get())
                .map(node -> Result.refused(403, "node " + node + " of cluster " + identity + " is quarantined"))
                .orElse(Result.allowed(cluster.get()));
    }

    /** The first quarantined member of a cluster, if any. */
    public Optional<String> quarantined(EdgeCluster cluster) {
        var members = new HashSet<String>();
        if (cluster.getStatus() != null && cluster.getStatus().nodes() != null) {
            cluster.getStatus().nodes().forEach(n -> members.add(n.name()));
        }
        if (cluster.getSpec() != null && cluster.getSpec().nodes() != null) {
            cluster.getSpec().nodes().forEach(n -> members.add(n.name()));
        }
        // By name, not by scanning the namespace: this runs on every sync.
        var namespace = cluster.getMetadata().getNamespace();
        return members.stream().sorted()
                .map(name -> fleet.node(namespace, name))
                .flatMap(Optional::stream)
                .filter(n -> n.getSpec() != null && n.getSpec().quarantineOrDefault())
                .map(n -> n.getMetadata().getName())
                .findFirst();
    }

    /** The outcome: a cluster, or a refusal. */
    public record Result(EdgeCluster cluster, Refusal refusal) {
        static Result allowed(EdgeCluster cluster) {
            return new Result(cluster, null);
        }

        static Result refused(int status, String reason) {
            return new Result(null, new Refusal(status, reason));
        }
    }

    private record Subject(String cn, String ou) {
    }

    private static Subject subject(X509Certificate certificate) {
        String cn = null;
        String ou = null;
        try {
            for (var rdn : new LdapName(certificate.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType())) {
                    cn = rdn.getValue().toString();
                } else if ("OU".equalsIgnoreCase(rdn.getType())) {
                    ou = rdn.getValue().toString();
                }
            }
        } catch (InvalidNameException e) {
            return new Subject(null, null);
        }
        return new Subject(cn, ou);
    }
}
