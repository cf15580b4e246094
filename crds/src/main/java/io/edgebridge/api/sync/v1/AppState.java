package io.edgebridge.api.sync.v1;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One app as applied on the edge.
 *
 * @param revision EdgeApp revision of the applied bundle
 * @param ready every resource of the app is ready (workloads available, jobs complete, others present)
 * @param failed the app could not be applied or does not run; {@code message} says why
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AppState(String name, String revision, String bundleHash, boolean ready, boolean failed,
        String message) {
}
