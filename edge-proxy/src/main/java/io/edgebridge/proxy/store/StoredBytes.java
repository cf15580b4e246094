package io.edgebridge.proxy.store;

/**
 * Content read back from a {@link ChecksummedFile}.
 *
 * @param fromPrevious true when the newest generation was missing or corrupt and the one before it
 *     was used: whatever the newest one held is lost
 */
public record StoredBytes(byte[] content, boolean fromPrevious) {
}
