package io.edgebridge.proxy.store;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;
import org.jboss.logging.Logger;

/** The latest status report in {@code <state dir>/status.json}, kept until the hub acknowledges it. */
public final class StatusStore {

    private static final Logger LOG = Logger.getLogger(StatusStore.class);

    private final Path directory;
    private final ChecksummedFile file;

    public StatusStore(Path stateDirectory) {
        this.directory = stateDirectory;
        this.file = new ChecksummedFile(stateDirectory.resolve("status.json"));
    }

    /**
     * What was stored.
     *
     * @param lostNewest the newest report could not be read: its sequence number is unknown, so the
     *     next one must jump well ahead of anything stored
     */
    public record Loaded(Optional<StoredStatus> status, boolean lostNewest) {
    }

    public Loaded load() throws IOException {
        var bytes = file.read();
        if (bytes.isEmpty()) {
            return new Loaded(Optional.empty(), file.exists());
        }
        try {
            var status = StateJson.MAPPER.readValue(bytes.get().content(), StoredStatus.class);
            return new Loaded(Optional.ofNullable(status).filter(s -> s.report() != null), bytes.get().fromPrevious());
        } catch (IOException e) {
            LOG.errorf("The stored status cannot be read and is ignored: %s", e.getMessage());
            return new Loaded(Optional.empty(), true);
        }
    }

    public void save(StoredStatus status) throws IOException {
        AtomicFiles.ensureDirectory(directory);
        file.write(StateJson.MAPPER.writeValueAsBytes(status));
    }
}
