package io.edgebridge.proxy.apply;

import java.util.Optional;

/** Which kinds the cluster serves (API discovery). */
public interface ResourceTypes {

    /**
     * @return empty when the server does not serve the kind in that version
     * @throws DiscoveryException when the server could not be asked; callers must not mistake
     *     that for "the kind does not exist" (which would prune objects)
     */
    Optional<ResourceType> lookup(String apiVersion, String kind) throws DiscoveryException;

    /** Forgets what is cached, e.g. after CRDs were applied. */
    void refresh();

    /** The API server could not answer a discovery request. */
    final class DiscoveryException extends Exception {
        public DiscoveryException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
