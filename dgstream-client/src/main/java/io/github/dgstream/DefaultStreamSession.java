package io.github.dgstream;

import io.github.dgstream.internal.EventBuffer;
import io.github.dgstream.internal.V1Adapter;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Flow;

/** The v1 pull API: a typed facade over the endpoint-neutral {@link PullSession}, plus the accumulated transcript. */
final class DefaultStreamSession implements StreamSession {
    /** Extra time close() gives a consumer on another thread after the engine's finish timeout, then again to abort. */
    static final long CLOSE_MARGIN_MS = PullSession.CLOSE_MARGIN_MS;

    private final StringBuilder transcript = new StringBuilder();
    private PullSession<StreamEvent> core;

    private DefaultStreamSession() {}

    /** Opens a session: connects and returns once the first connection is open. */
    static StreamSession open(DeepgramClient client, StreamingOptions o) {
        Objects.requireNonNull(o, "options");
        DefaultStreamSession s = new DefaultStreamSession();
        int capacity = o.eventBufferCapacity() > 0 ? o.eventBufferCapacity() : client.eventQueueCapacity();
        s.core = PullSession.open(
                client,
                new V1Adapter(o.query()),
                o.reconnection(),
                o.effectiveLiveness(client.liveness()),
                capacity,
                o.overflowPolicy(),
                s::taken);
        return s;
    }

    private void taken(StreamEvent e) {
        if (e instanceof StreamEvent.Transcript t && t.isFinal() && !t.text().isBlank()) {
            synchronized (transcript) {
                if (transcript.length() > 0) {
                    transcript.append(' ');
                }
                transcript.append(t.text().strip());
            }
        }
    }

    @Override
    public void send(byte[] audio) {
        core.send(audio);
    }

    @Override
    public void send(byte[] audio, int offset, int length) {
        core.send(audio, offset, length);
    }

    @Override
    public void send(ByteBuffer audio) {
        core.send(audio);
    }

    @Override
    public void sendFinalize() {
        core.sendFinalize();
    }

    @Override
    public void finish() {
        core.finish();
    }

    @Override
    public Iterator<StreamEvent> iterator() {
        return core.iterator();
    }

    @Override
    public Optional<StreamEvent> poll(Duration timeout) {
        return core.poll(timeout);
    }

    @Override
    public Flow.Publisher<StreamEvent> events() {
        return core.events();
    }

    @Override
    public String accumulatedTranscript() {
        synchronized (transcript) {
            return transcript.toString();
        }
    }

    @Override
    public boolean isDone() {
        return core.isDone();
    }

    @Override
    public long droppedInterimResults() {
        return core.droppedInterimResults();
    }

    @Override
    public SessionState state() {
        return core.state();
    }

    @Override
    public String requestId() {
        return core.requestId();
    }

    @Override
    public void close() {
        core.close();
    }

    /** Test access to the buffer's metrics. */
    EventBuffer buffer() {
        return core.buffer();
    }
}
