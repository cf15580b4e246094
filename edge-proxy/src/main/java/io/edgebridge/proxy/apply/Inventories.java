package io.edgebridge.proxy.apply;

import java.io.IOException;
import java.util.Map;

/** Where the per-app inventories are kept (the state directory; a map in tests). */
public interface Inventories {

    /** Every app's inventory by app name; empty when none was stored or none is readable. */
    Map<String, AppInventory> load() throws IOException;

    /** Replaces all inventories at once, durably. */
    void save(Map<String, AppInventory> inventories) throws IOException;
}
