package io.edgebridge.proxy.sync;

import com.fasterxml.jackson.databind.JsonNode;

/** A bundle as it came over the wire, with its signature, not yet verified. */
public record SignedContent(JsonNode bundle, String signature) {
}
