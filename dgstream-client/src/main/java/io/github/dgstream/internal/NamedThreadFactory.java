package io.github.dgstream.internal;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/** Daemon threads named {@code dgstream-<role>-<n>}. */
final class NamedThreadFactory implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger n = new AtomicInteger();

    NamedThreadFactory(String role) {
        this.prefix = "dgstream-" + role + "-";
    }

    @Override
    public Thread newThread(Runnable r) {
        Thread t = new Thread(r, prefix + n.incrementAndGet());
        t.setDaemon(true);
        return t;
    }
}
