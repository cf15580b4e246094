package io.edgebridge.operator.fleet;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One instance of each value while it is recent, for values many objects hold at about the same
 * time (a message ten thousand clusters write as they connect, the revisions alike clusters run)
 * among values that come once and go. Two tables: the values seen since the newer one was last
 * full, and those of the time before; a value in use then is carried into the new table. Emptying
 * a single table when full dropped the shared values along with the one-off ones, and at 10,000
 * clusters most objects held copies of their own.
 *
 * @param <T> an immutable value type with value equality
 */
public final class RecentValues<T> {

    private final int capacity;
    private volatile Map<T, T> recent = new ConcurrentHashMap<>();
    private volatile Map<T, T> older = Map.of();

    /** @param capacity values the newer table takes before it becomes the older one */
    public RecentValues(int capacity) {
        this.capacity = capacity;
    }

    /** The instance held of a value equal to {@code value}, or {@code value}, now held. */
    public T shared(T value) {
        if (value == null) {
            return null;
        }
        var table = recent;
        var held = table.get(value);
        if (held != null) {
            return held;
        }
        held = Objects.requireNonNullElse(older.get(value), value);
        var raced = table.putIfAbsent(held, held);
        if (table.size() > capacity) {
            synchronized (this) {
                if (recent == table) {
                    older = table;
                    recent = new ConcurrentHashMap<>();
                }
            }
        }
        return raced != null ? raced : held;
    }

    /** Values held in both tables. */
    public int size() {
        return recent.size() + older.size();
    }
}
