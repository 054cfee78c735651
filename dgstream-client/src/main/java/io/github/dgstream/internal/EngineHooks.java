package io.github.dgstream.internal;

import java.util.function.DoubleSupplier;

/**
 * Test seams of the engine: clock, timer service, random source for jitter, transport. Any {@code null} means "use
 * the real one". Not part of the supported public API.
 *
 * @param clock monotonic time
 * @param scheduler timers
 * @param random uniform doubles in [0, 1) for jitter
 * @param transport WebSocket transport
 */
public record EngineHooks(Clock clock, Scheduler scheduler, DoubleSupplier random, Transport transport) {
    public static final EngineHooks NONE = new EngineHooks(null, null, null, null);

    public EngineHooks withClock(Clock c) {
        return new EngineHooks(c, scheduler, random, transport);
    }

    public EngineHooks withScheduler(Scheduler s) {
        return new EngineHooks(clock, s, random, transport);
    }

    public EngineHooks withRandom(DoubleSupplier r) {
        return new EngineHooks(clock, scheduler, r, transport);
    }

    public EngineHooks withTransport(Transport t) {
        return new EngineHooks(clock, scheduler, random, t);
    }
}
