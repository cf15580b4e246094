package io.edgebridge.proxy.identity;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgebridge.api.sync.v1.AppBundle;

/**
 * A bundle whose signature was checked with the hub's bundle signing key; only these are stored
 * and applied.
 *
 * @param signedContent the bundle as it arrived, kept to re-verify it when it is loaded from disk
 */
public record VerifiedBundle(AppBundle bundle, JsonNode signedContent, String signature) {

    public String app() {
        return bundle.app();
    }

    public String hash() {
        return bundle.hash();
    }
}
