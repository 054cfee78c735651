package io.github.dgstream;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Records every event of one connection, in delivery order. */
final class EventLog {
    final List<StreamEvent> events = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

    void attach(ListenWebSocketClient c) {
        for (EventKey<?> k : keys()) {
            c.on(k, this::add);
        }
    }

    void attach(AsyncListenWebSocketClient c) {
        for (EventKey<?> k : keys()) {
            c.on(k, this::add);
        }
    }

    private void add(StreamEvent e) {
        events.add(e);
        threads.add(Thread.currentThread().getName());
    }

    static List<EventKey<?>> keys() {
        return List.of(
                LiveTranscriptionEvents.OPEN,
                LiveTranscriptionEvents.CLOSE,
                LiveTranscriptionEvents.TRANSCRIPT,
                LiveTranscriptionEvents.METADATA,
                LiveTranscriptionEvents.SPEECH_STARTED,
                LiveTranscriptionEvents.UTTERANCE_END,
                LiveTranscriptionEvents.RECONNECTING,
                LiveTranscriptionEvents.RECONNECTED,
                LiveTranscriptionEvents.RECONNECT_FAILED,
                LiveTranscriptionEvents.ERROR,
                LiveTranscriptionEvents.UNHANDLED);
    }

    <T extends StreamEvent> List<T> of(Class<T> type) {
        List<T> out = new ArrayList<>();
        for (StreamEvent e : events) {
            if (type.isInstance(e)) {
                out.add(type.cast(e));
            }
        }
        return out;
    }

    List<StreamEvent.Transcript> finals() {
        return of(StreamEvent.Transcript.class).stream()
                .filter(StreamEvent.Transcript::isFinal)
                .collect(Collectors.toList());
    }

    /** All final words, in order. */
    List<Word> finalWords() {
        List<Word> out = new ArrayList<>();
        finals().forEach(t -> out.addAll(t.words()));
        return out;
    }

    List<String> finalWordTexts() {
        return finalWords().stream().map(Word::word).collect(Collectors.toList());
    }

    boolean closed() {
        return !of(CloseEvent.class).isEmpty();
    }

    List<EventType> types() {
        return events.stream().map(StreamEvent::type).collect(Collectors.toList());
    }

    @Override
    public String toString() {
        return events.toString();
    }
}
