package io.edgebridge.operator.plan;

import io.edgebridge.api.v1alpha1.EdgeAppSpec;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The targeted clusters of one wave, in rollout order. */
public record WaveTargets(String name, List<TargetCluster> clusters) {

    /** The one wave of strategy All. */
    public static final String ALL_WAVE = "all";
    /** Targeted clusters that no wave selects; the name cannot clash with a wave's (DNS label). */
    public static final String REST_WAVE = "(rest)";

    /**
     * Splits targets into waves: each cluster joins the first wave whose selector matches its labels;
     * the unmatched form a last wave. With strategy All there is a single wave.
     */
    public static List<WaveTargets> plan(EdgeAppSpec.Rollout rollout, List<TargetCluster> targets,
            Function<String, Map<String, String>> labelsOfCluster) {
        boolean waves = rollout != null && rollout.strategy() == EdgeAppSpec.Strategy.Waves
                && rollout.waves() != null && !rollout.waves().isEmpty();
        if (!waves) {
            return List.of(new WaveTargets(ALL_WAVE, sorted(targets)));
        }
        Map<String, List<TargetCluster>> members = new LinkedHashMap<>();
        rollout.waves().forEach(w -> members.put(w.name(), new ArrayList<>()));
        List<TargetCluster> rest = new ArrayList<>();
        for (var target : targets) {
            var labels = labelsOfCluster.apply(target.name());
            var wave = rollout.waves().stream()
                    .filter(w -> selects(w.clusterSelector(), labels))
                    .findFirst();
            wave.ifPresentOrElse(w -> members.get(w.name()).add(target), () -> rest.add(target));
        }
        List<WaveTargets> result = new ArrayList<>();
        members.forEach((name, clusters) -> result.add(new WaveTargets(name, sorted(clusters))));
        if (!rest.isEmpty()) {
            result.add(new WaveTargets(REST_WAVE, sorted(rest)));
        }
        return result;
    }

    /** The wave a cluster with these labels belongs to, by the same rule as {@link #plan}. */
    public static String waveOf(EdgeAppSpec.Rollout rollout, Map<String, String> labels) {
        if (rollout == null || rollout.strategy() != EdgeAppSpec.Strategy.Waves || rollout.waves() == null
                || rollout.waves().isEmpty()) {
            return ALL_WAVE;
        }
        return rollout.waves().stream()
                .filter(w -> selects(w.clusterSelector(), labels))
                .map(EdgeAppSpec.Wave::name)
                .findFirst().orElse(REST_WAVE);
    }

    private static boolean selects(LabelSelector selector, Map<String, String> labels) {
        return selector != null && LabelSelectors.matches(selector, labels);
    }

    private static List<TargetCluster> sorted(List<TargetCluster> clusters) {
        var copy = new ArrayList<>(clusters);
        copy.sort(TargetCluster.ROLLOUT_ORDER);
        return List.copyOf(copy);
    }
}
