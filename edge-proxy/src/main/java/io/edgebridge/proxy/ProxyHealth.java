package io.edgebridge.proxy;

/**
 * @param alive the sync and enforcement loops run and none hangs
 * @param ready a desired state was loaded (from disk or the hub) and applied at least once
 * @param connected the last call to the hub succeeded
 * @param appliedStateHash the state hash last applied, or null
 */
public record ProxyHealth(boolean alive, boolean ready, boolean connected, String appliedStateHash) {
}
