package io.edgebridge.proxy.store;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgebridge.proxy.identity.BundleVerifier;
import io.edgebridge.proxy.identity.VerifiedBundle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * The last desired state, in {@code <state dir>/desired-state.json}, and in memory. Bundles are kept
 * exactly as they arrived, with their signatures, and verified again when loaded: a file changed on
 * disk is never applied.
 */
public final class DesiredStateStore {

    private static final Logger LOG = Logger.getLogger(DesiredStateStore.class);

    private final Path directory;
    private final ChecksummedFile file;
    private volatile DesiredState current;

    public DesiredStateStore(Path stateDirectory) {
        this.directory = stateDirectory;
        this.file = new ChecksummedFile(stateDirectory.resolve("desired-state.json"));
    }

    record StoredBundle(JsonNode bundle, String signature) {
    }

    record StoredState(String stateHash, String epoch, List<StoredBundle> bundles, List<String> withheld) {
    }

    /** The state in memory: the last one loaded or saved; empty when there is none (not even an empty one). */
    public Optional<DesiredState> current() {
        return Optional.ofNullable(current);
    }

    /**
     * Reads the stored state and verifies every bundle again; a bundle that fails is withheld (kept
     * out of the state without its app being removed) and the hub will send it again.
     */
    public Optional<DesiredState> load(BundleVerifier verifier) throws IOException {
        var bytes = file.read();
        if (bytes.isEmpty()) {
            return Optional.empty();
        }
        StoredState stored;
        try {
            stored = StateJson.MAPPER.readValue(bytes.get().content(), StoredState.class);
        } catch (IOException e) {
            LOG.errorf("The stored desired state cannot be read and is ignored: %s", e.getMessage());
            return Optional.empty();
        }
        var bundles = new HashMap<String, VerifiedBundle>();
        var withheld = new HashSet<String>(stored.withheld() == null ? List.of() : stored.withheld());
        for (var entry : stored.bundles() == null ? List.<StoredBundle>of() : stored.bundles()) {
            var result = verifier.verify(entry.bundle(), entry.signature());
            if (result instanceof BundleVerifier.Accepted accepted) {
                bundles.put(accepted.bundle().app(), accepted.bundle());
            } else if (result instanceof BundleVerifier.Rejected rejected) {
                LOG.errorf("Stored bundle of app %s fails verification (%s); it is not applied until the hub"
                        + " sends it again", rejected.app(), rejected.reason());
                if (rejected.app() != null) {
                    withheld.add(rejected.app());
                }
            }
        }
        bundles.keySet().forEach(withheld::remove);
        var state = new DesiredState(withheld.isEmpty() ? stored.stateHash() : null, stored.epoch(), bundles, withheld);
        current = state;
        return Optional.of(state);
    }

    /** Stores the state durably, then makes it current: a crash never leaves an applied state unsaved. */
    public void save(DesiredState state) throws IOException {
        var bundles = new ArrayList<StoredBundle>();
        for (var bundle : state.bundles().values()) {
            bundles.add(new StoredBundle(bundle.signedContent(), bundle.signature()));
        }
        AtomicFiles.ensureDirectory(directory);
        file.write(StateJson.MAPPER.writeValueAsBytes(new StoredState(state.stateHash(), state.epoch(), bundles,
                new ArrayList<>(state.withheld()))));
        current = state;
    }
}
