package io.edgebridge.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** Where an app's rollout stands; counts and a bounded list, never one entry per cluster. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EdgeAppStatus(
        @JsonPropertyDescription("The metadata.generation this status was computed from.")
        Long observedGeneration,

        @JsonPropertyDescription("Content hash of the current spec; the spec itself is kept in a ControllerRevision.")
        String revision,

        @JsonPropertyDescription("Summary of the app's state.")
        Phase phase,

        @JsonPropertyDescription("Available: every targeted online cluster runs a ready revision. Progressing: a "
                + "rollout is under way. Degraded: clusters fail, or the rollout missed its deadline.")
        List<Condition> conditions,

        @JsonPropertyDescription("Counts of targeted clusters by state.")
        Summary summary,

        @JsonPropertyDescription("Some clusters that are not ready, with the reason (at most 20).")
        @Size(max = 20)
        List<ClusterIssue> notReady,

        @JsonPropertyDescription("Progress of the current rollout.")
        RolloutStatus rollout,

        @JsonPropertyDescription("Short texts for kubectl columns.")
        Display display) {

    /** Lifecycle of an app. */
    public enum Phase {
        /** Not planned yet, no cluster targeted, or none of the targeted clusters is online. */
        Pending,
        /** A rollout is under way. */
        Progressing,
        /** Every targeted online cluster runs the current revision and is ready. */
        Available,
        /** Clusters fail, or the rollout is stopped by its failure policy. */
        Degraded,
        /** spec.suspend is set. */
        Suspended
    }

    /** Counts of targeted clusters. */
    public record Summary(
            @JsonPropertyDescription("Clusters the placement selects.")
            Integer targeted,
            @JsonPropertyDescription("Clusters that applied the current revision.")
            Integer updated,
            @JsonPropertyDescription("Clusters where the app is ready (at any revision).")
            Integer ready,
            @JsonPropertyDescription("Clusters that report an error for the app.")
            Integer failed,
            @JsonPropertyDescription("Clusters whose edge proxy is offline.")
            Integer offline) {
    }

    /** Why one cluster is not ready. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ClusterIssue(
            @JsonPropertyDescription("Name of the EdgeCluster.")
            String cluster,
            @JsonPropertyDescription("One word: Offline, Failed, Updating, ...")
            String reason,
            @JsonPropertyDescription("What the edge reported.")
            @Size(max = 1024)
            String message) {
    }

    /**
     * Where a rollout is: a few numbers per wave. Together with the spec, the ControllerRevisions and
     * what clusters report, this decides the revision every cluster gets.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record RolloutStatus(
            @JsonPropertyDescription("Revision being rolled out.")
            String revision,
            @JsonPropertyDescription("Revision the clusters not yet released keep.")
            String previousRevision,
            @JsonPropertyDescription("Index of the wave in progress, from 0.")
            Integer currentWave,
            @JsonPropertyDescription("When the wave in progress started (RFC 3339).")
            String waveStartedAt,
            @JsonPropertyDescription("When the next wave may start, after pauseBetweenWaves (RFC 3339).")
            String nextWaveAt,
            @JsonPropertyDescription("When every wave was released and ready (RFC 3339); unset while rolling out.")
            String completedAt,
            @JsonPropertyDescription("Progress per wave.")
            @Size(max = 21)
            List<WaveStatus> waves) {
    }

    /** Progress of one wave. */
    public record WaveStatus(
            @JsonPropertyDescription("Name of the wave.")
            String name,
            @JsonPropertyDescription("Clusters in the wave.")
            Integer targeted,
            @JsonPropertyDescription("How many clusters of the wave, in rollout order, were given the new revision.")
            Integer released,
            @JsonPropertyDescription("Rollout-order key of the last cluster of the wave given the new revision: clusters "
                    + "whose key is not greater get it. Empty: none yet; 'all': the whole wave.")
            String releasedUpTo,
            @JsonPropertyDescription("Clusters of the wave that applied the new revision.")
            Integer updated,
            @JsonPropertyDescription("Clusters of the wave ready at the new revision.")
            Integer ready) {
    }

    /** Texts for printer columns, which cannot combine fields. */
    public record Display(
            @JsonPropertyDescription("Ready clusters over targeted clusters, for example 950/1000.")
            String ready) {
    }
}
