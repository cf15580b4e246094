package io.edgebridge.proxy.store;

import io.edgebridge.proxy.apply.AppInventory;
import io.edgebridge.proxy.apply.Inventories;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.jboss.logging.Logger;

/**
 * Per-app inventories of what EdgeBridge applied, in {@code <state dir>/inventory.json}. If it is
 * lost, nothing is pruned that EdgeBridge applied before (objects stay, labelled with their app);
 * the opposite mistake, deleting something it did not apply, cannot happen.
 */
public final class InventoryStore implements Inventories {

    private static final Logger LOG = Logger.getLogger(InventoryStore.class);

    private final Path directory;
    private final ChecksummedFile file;

    public InventoryStore(Path stateDirectory) {
        this.directory = stateDirectory;
        this.file = new ChecksummedFile(stateDirectory.resolve("inventory.json"));
    }

    record StoredInventories(Map<String, AppInventory> apps) {
    }

    @Override
    public Map<String, AppInventory> load() throws IOException {
        var bytes = file.read();
        if (bytes.isEmpty()) {
            return Map.of();
        }
        try {
            var stored = StateJson.MAPPER.readValue(bytes.get().content(), StoredInventories.class);
            return stored.apps() == null ? Map.of() : new TreeMap<>(stored.apps());
        } catch (IOException e) {
            LOG.errorf("The stored inventory cannot be read and is ignored: %s", e.getMessage());
            return Map.of();
        }
    }

    @Override
    public void save(Map<String, AppInventory> inventories) throws IOException {
        AtomicFiles.ensureDirectory(directory);
        file.write(StateJson.MAPPER.writeValueAsBytes(new StoredInventories(new TreeMap<>(inventories))));
    }
}
