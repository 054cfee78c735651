package io.github.dgstream.internal;

/** Monotonic time source of the engine; injectable so tests can use virtual time. */
@FunctionalInterface
public interface Clock {
    long nanoTime();

    Clock SYSTEM = System::nanoTime;
}
