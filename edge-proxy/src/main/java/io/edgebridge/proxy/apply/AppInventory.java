package io.edgebridge.proxy.apply;

import java.util.List;

/**
 * What EdgeBridge applied for one app, so that pruning deletes exactly that and never anything else.
 * It may name more than exists (it is written before applying), never less.
 */
public record AppInventory(String app, String revision, String bundleHash, List<ObjectRef> objects) {

    public AppInventory {
        objects = objects == null ? List.of() : objects.stream().distinct().sorted(ObjectRef.ORDER).toList();
    }
}
