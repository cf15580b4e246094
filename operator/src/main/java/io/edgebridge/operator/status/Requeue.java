package io.edgebridge.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import java.time.Duration;
import java.util.Optional;
import java.util.stream.Stream;

/** Ends a reconcile that wrote what it had to: again after the soonest of some delays, or not at all. */
public final class Requeue {

    /** A little past the moment, so the next reconcile sees it passed. */
    private static final Duration MARGIN = Duration.ofMillis(50);

    private Requeue() {
    }

    @SafeVarargs
    public static <P extends HasMetadata> UpdateControl<P> after(Optional<Duration>... delays) {
        var soonest = Stream.of(delays).flatMap(Optional::stream)
                .map(d -> d.isNegative() ? Duration.ZERO : d)
                .min(Duration::compareTo);
        UpdateControl<P> control = UpdateControl.noUpdate();
        soonest.ifPresent(d -> control.rescheduleAfter(d.plus(MARGIN)));
        return control;
    }
}
