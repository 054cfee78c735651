package io.github.dgstream.emulator;

import java.util.Map;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * What {@link DeepgramEmulator}'s scripting methods set up, and the choice it leads to for each handshake attempt:
 * the script by index, else the selector's, else the queue's head, else the default. Split from the emulator so the
 * precedence lives in one place. Thread-safe; arguments are checked by the emulator.
 */
final class ScriptSelection {
    private final BlockingQueue<ConnectionScript> queue = new LinkedBlockingQueue<>();
    private final Map<Integer, ConnectionScript> byIndex = new ConcurrentHashMap<>();
    private volatile IntFunction<ConnectionScript> defaultScripts = i -> ConnectionScript.normal();
    private volatile Function<RecordedConnection, ConnectionScript> selector = r -> null;

    void enqueue(ConnectionScript script) {
        queue.add(script);
    }

    void byIndex(int connectionIndex, ConnectionScript script) {
        byIndex.put(connectionIndex, script);
    }

    void defaultScripts(IntFunction<ConnectionScript> factory) {
        this.defaultScripts = factory;
    }

    void selector(Function<RecordedConnection, ConnectionScript> selector) {
        this.selector = selector;
    }

    /** The script of the attempt with this index; {@code rec} is its recording, not yet upgraded. */
    ConnectionScript scriptFor(int index, RecordedConnection rec) {
        ConnectionScript s = byIndex.remove(index);
        if (s != null) {
            return s;
        }
        s = selector.apply(rec);
        if (s != null) {
            return s;
        }
        s = queue.poll();
        return s != null ? s : Objects.requireNonNull(defaultScripts.apply(index), "default script factory result");
    }
}
