package io.github.dgstream.bench;

import io.github.dgstream.internal.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * A transport whose real one is set after the client's resources exist: the JDK transport needs their {@code
 * HttpClient}, and the resources need a transport. Set before the first stream connects.
 */
final class DeferredTransport implements Transport {
    private volatile Transport delegate;

    void delegateTo(Transport t) {
        delegate = t;
    }

    @Override
    public CompletableFuture<Socket> connect(URI uri, Map<String, String> headers, Duration timeout, Listener l) {
        return delegate.connect(uri, headers, timeout, l);
    }
}
