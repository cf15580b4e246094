/**
 * Records exchanged between the hub and edge proxies (sync protocol v1, see docs/ARCHITECTURE.md).
 * They are a public contract: add fields, never change or remove one.
 */
package io.edgebridge.api.sync.v1;
