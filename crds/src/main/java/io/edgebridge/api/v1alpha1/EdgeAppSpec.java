package io.edgebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

/** What to run, where, with which per-site differences, and how to roll it out. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EdgeAppSpec(
        @JsonPropertyDescription("Which EdgeClusters of this namespace run the app.")
        @Required
        Placement placement,

        @JsonPropertyDescription("The Kubernetes objects to run on each edge cluster, kept exactly as written.")
        @Required @Size(min = 1, max = 100)
        List<EmbeddedResource> resources,

        @JsonPropertyDescription("Namespace on the edge cluster for namespaced resources that name none. When unset, "
                + "the EdgeApp's own namespace name is used.")
        @Size(max = 63) @Pattern(ApiConstants.DNS_LABEL_PATTERN)
        String targetNamespace,

        @JsonPropertyDescription("Per-site changes, applied in order to the clusters each one selects; later "
                + "overrides win.")
        @Size(max = 50)
        List<ClusterOverride> overrides,

        @JsonPropertyDescription("How a new revision reaches the targeted clusters.")
        Rollout rollout,

        @JsonPropertyDescription("Freezes delivery: clusters keep the revision they have, none gets a newer one.")
        @Default("false")
        Boolean suspend,

        @JsonPropertyDescription("How many past revisions to keep for rollback and for clusters still on them.")
        @Default("10") @Min(1) @Max(100)
        Integer revisionHistoryLimit) {

    public static final int DEFAULT_REVISION_HISTORY_LIMIT = 10;

    public boolean suspendOrDefault() {
        return Boolean.TRUE.equals(suspend);
    }

    public int revisionHistoryLimitOrDefault() {
        return revisionHistoryLimit == null ? DEFAULT_REVISION_HISTORY_LIMIT : revisionHistoryLimit;
    }

    /** Which clusters run the app: those the selector matches plus those named. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "has(self.clusterSelector) || (has(self.clusters) && size(self.clusters) > 0)",
            message = "placement must name a clusterSelector, a list of clusters, or both",
            reason = "FieldValueRequired")
    public record Placement(
            @JsonPropertyDescription("Selects EdgeClusters of this namespace by label; an empty selector selects all.")
            LabelSelector clusterSelector,

            @JsonPropertyDescription("EdgeClusters of this namespace by name (at most 1000; use a selector for more).")
            @Size(max = 1000)
            List<@Size(max = 253) @Pattern(ApiConstants.DNS_SUBDOMAIN_PATTERN) String> clusters) {
    }

    /** Changes made to the resources for the clusters a selector matches. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "has(self.images) || has(self.replicas) || has(self.env) || has(self.patches)",
            message = "an override must change something: set images, replicas, env or patches",
            reason = "FieldValueRequired")
    public record ClusterOverride(
            @JsonPropertyDescription("Selects the EdgeClusters this override applies to; an empty selector selects all.")
            @Required
            LabelSelector clusterSelector,

            @JsonPropertyDescription("Image replacements in every container and init container, matched by image name "
                    + "as in kustomize.")
            @Size(max = 50)
            List<ImageOverride> images,

            @JsonPropertyDescription("Replica counts of workloads, by workload name.")
            @Size(max = 50)
            List<ReplicaOverride> replicas,

            @JsonPropertyDescription("Environment variables set in the containers of every workload.")
            @Size(max = 100)
            List<EnvOverride> env,

            @JsonPropertyDescription("JSON merge patches (RFC 7386) applied to single resources.")
            @Size(max = 50)
            List<PatchOverride> patches) {
    }

    /** Replaces an image, as kustomize's images field does. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "has(self.newName) || has(self.newTag) || has(self.digest)",
            message = "an image override must set newName, newTag or digest")
    @ValidationRule(value = "!(has(self.newTag) && has(self.digest))",
            message = "an image override may set newTag or digest, not both")
    public record ImageOverride(
            @JsonPropertyDescription("Image name to match, without tag or digest, for example ghcr.io/acme/collector.")
            @Required @Size(min = 1, max = 512)
            String name,

            @JsonPropertyDescription("Image name to use instead, for example a registry mirror at the site.")
            @Size(min = 1, max = 512)
            String newName,

            @JsonPropertyDescription("Tag to use.")
            @Size(min = 1, max = 128) @Pattern("^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
            String newTag,

            @JsonPropertyDescription("Digest to use, for example sha256:0123...")
            @Pattern("^[a-z0-9]+:[a-f0-9]{32,}$")
            String digest) {
    }

    /** Sets the replica count of a Deployment, StatefulSet or ReplicaSet. */
    public record ReplicaOverride(
            @JsonPropertyDescription("Name of the workload.")
            @Required @Size(min = 1, max = 253)
            String name,

            @JsonPropertyDescription("Number of replicas.")
            @Required @Min(0)
            Integer count) {
    }

    /** Sets an environment variable. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record EnvOverride(
            @JsonPropertyDescription("Only containers of this name; when unset, every container.")
            @Size(min = 1, max = 63)
            String container,

            @JsonPropertyDescription("Name of the variable.")
            @Required @Size(min = 1, max = 256)
            String name,

            @JsonPropertyDescription("Value of the variable.")
            @Required
            String value) {
    }

    /** A JSON merge patch for one resource. */
    public record PatchOverride(
            @JsonPropertyDescription("The resource to patch.")
            @Required
            PatchTarget target,

            @JsonPropertyDescription("JSON merge patch (RFC 7386): fields to set, null to remove one.")
            @Required
            JsonNode mergePatch) {
    }

    /** Names one of the app's resources. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record PatchTarget(
            @JsonPropertyDescription("apiVersion of the resource; when unset, any.")
            String apiVersion,

            @JsonPropertyDescription("Kind of the resource.")
            @Required @Size(min = 1, max = 63)
            String kind,

            @JsonPropertyDescription("Name of the resource.")
            @Required @Size(min = 1, max = 253)
            String name) {
    }

    /** Rollout strategy and safety limits. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @ValidationRule(value = "!has(self.strategy) || self.strategy != 'Waves' || (has(self.waves) && size(self.waves) > 0)",
            message = "strategy Waves needs at least one wave in waves", fieldPath = ".waves",
            reason = "FieldValueRequired")
    @ValidationRule(value = "(has(self.strategy) && self.strategy == 'Waves') || !has(self.waves) || size(self.waves) == 0",
            message = "waves are only used with strategy Waves", fieldPath = ".waves", reason = "FieldValueForbidden")
    @ValidationRule(value = "!has(self.waves) || self.waves.all(w, self.waves.exists_one(x, x.name == w.name))",
            message = "wave names must be unique", fieldPath = ".waves")
    // Rules on record components would be emitted twice (field and accessor), so they sit on the record.
    @ValidationRule(value = "!has(self.maxUnavailable) || (type(self.maxUnavailable) == int "
            + "? self.maxUnavailable >= 1 : self.maxUnavailable.matches('^(100|[1-9][0-9]?)%$'))",
            message = "maxUnavailable must be an integer of at least 1 or a percentage from 1% to 100%",
            fieldPath = ".maxUnavailable")
    @ValidationRule(value = "!has(self.maxFailures) || (type(self.maxFailures) == int "
            + "? self.maxFailures >= 0 : self.maxFailures.matches('^(100|[1-9]?[0-9])%$'))",
            message = "maxFailures must be an integer of at least 0 or a percentage from 0% to 100%",
            fieldPath = ".maxFailures")
    public record Rollout(
            @JsonPropertyDescription("All: every targeted cluster gets a new revision at once. Waves: clusters get it "
                    + "wave by wave, in the order of waves, at most maxUnavailable at a time within a wave.")
            @Default("All")
            Strategy strategy,

            @JsonPropertyDescription("Ordered waves for strategy Waves. A cluster belongs to the first wave whose selector "
                    + "matches it; targeted clusters no wave matches form a last, implicit wave.")
            @Size(max = 20)
            List<Wave> waves,

            @JsonPropertyDescription("With strategy Waves, how many clusters of a wave may be updating (not yet ready at "
                    + "the new revision) at once: a number of at least 1, or a percentage from 1% to 100% of the wave, "
                    + "rounded up.")
            @Default(DEFAULT_MAX_UNAVAILABLE)
            IntOrString maxUnavailable,

            @JsonPropertyDescription("How many clusters may fail at the new revision before the failure policy acts: a "
                    + "number, or a percentage from 0% to 100% of the targeted clusters.")
            @Default("0")
            IntOrString maxFailures,

            @JsonPropertyDescription("How long a wave may take to become ready before it counts as failed, as a "
                    + "duration (for example 30m).")
            @Default(DEFAULT_PROGRESS_DEADLINE) @Pattern(ApiConstants.DURATION_PATTERN)
            String progressDeadline,

            @JsonPropertyDescription("Wait this long after a wave is ready before starting the next, as a duration.")
            @Pattern(ApiConstants.DURATION_PATTERN)
            String pauseBetweenWaves,

            @JsonPropertyDescription("What happens when failures exceed maxFailures or a wave misses progressDeadline: "
                    + "Pause stops the rollout where it is, Continue goes on and reports Degraded.")
            @Default("Pause")
            FailurePolicy failurePolicy,

            @JsonPropertyDescription("Defer: offline clusters do not hold up a wave; they get the new revision when they "
                    + "return and show as offline meanwhile. Wait: an offline cluster counts as updating and holds up "
                    + "its wave until it returns or progressDeadline passes.")
            @Default("Defer")
            OfflinePolicy offlinePolicy) {

        public static final String DEFAULT_PROGRESS_DEADLINE = "30m";
        public static final String DEFAULT_MAX_UNAVAILABLE = "25%";
    }

    /** One step of a rollout. */
    public record Wave(
            @JsonPropertyDescription("Name of the wave, unique within the rollout.")
            @Required @Size(min = 1, max = 63) @Pattern(ApiConstants.DNS_LABEL_PATTERN)
            String name,

            @JsonPropertyDescription("Selects the targeted clusters in this wave.")
            @Required
            LabelSelector clusterSelector) {
    }

    public enum Strategy {
        All, Waves
    }

    public enum FailurePolicy {
        Pause, Continue
    }

    public enum OfflinePolicy {
        Defer, Wait
    }
}
