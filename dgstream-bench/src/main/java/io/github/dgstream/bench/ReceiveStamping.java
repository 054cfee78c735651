package io.github.dgstream.bench;

import io.github.dgstream.internal.Transport;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The engine's transport with one addition: each server text message's {@code sent_ns} stamp is read the moment the
 * JDK hands the message to the engine's listener (on the {@code HttpClient} executor, before the session actor), so
 * the latency splits into the JDK's delivery, the actor and decode, and the hand-off to the handler.
 */
final class ReceiveStamping implements Transport {
    private final StreamRecorder recorder;
    private final Transport delegate;

    ReceiveStamping(StreamRecorder recorder, Transport delegate) {
        this.recorder = recorder;
        this.delegate = delegate;
    }

    @Override
    public CompletableFuture<Socket> connect(URI uri, Map<String, String> headers, Duration timeout, Listener l) {
        return delegate.connect(uri, headers, timeout, new ForwardingListener(l) {
            @Override
            public void onText(String text) {
                long now = System.nanoTime();
                long sent = EngineStream.sentNs(text);
                if (sent != 0) {
                    recorder.received(sent, now);
                }
                super.onText(text);
            }
        });
    }
}
