package io.github.dgstream.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dgstream.emulator.speech.DecodedWord;
import io.github.dgstream.emulator.speech.SpeechDecoder;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /v1/listen}: Results (interim, final, speech_final), SpeechStarted, UtteranceEnd, Metadata, KeepAlive,
 * Finalize, CloseStream, NET-0001 and DATA-0000 (protocol doc §A). All times are audio time on this connection.
 *
 * <p>A final is cut only while the decoder is in silence (at least {@value #MIN_CUT_SILENCE_MS} ms after the last
 * voiced audio, at {@value #CUT_MARGIN_MS} ms before the current position), so no word straddles a final boundary
 * and finals' windows are contiguous.
 */
final class ListenV1Connection extends EmulatorConnection {
    static final long CUT_MARGIN_MS = 30;
    static final long MIN_CUT_SILENCE_MS = 50;
    static final long FORCE_FINAL_MS = 3000;
    static final long INTERIM_EVERY_MS = 1000;
    static final double VAD_MIN_GAP_SECONDS = 0.25;

    private final ListenOptions opts;
    private final V1Messages msg;
    private final List<DecodedWord> pending = new ArrayList<>();
    private List<String> keyterms;
    private long finalEndMs;
    private long lastInterimMs;
    private boolean speechSinceFinal;
    private boolean prevInSpeech;
    private boolean everVoiced;
    private double voicedEndBeforeOnset = -1;
    private boolean wordsSinceUtteranceEnd;
    private double lastWordEnd;
    private boolean sentenceStart = true;

    ListenV1Connection(Context ctx, ListenOptions opts) {
        super(ctx, new AudioInput(opts.format()));
        this.opts = opts;
        this.msg = new V1Messages(ctx.record().requestId(), opts.model());
        this.keyterms = opts.keyterms();
    }

    @Override
    protected void opened() {
        // v1 sends nothing before audio.
    }

    @Override
    protected boolean pingIsActivity() {
        return false; // NET-0001 counts audio and text messages only
    }

    @Override
    protected void audioStep(long t) {
        absorb(audio.drainWords());
        SpeechDecoder d = audio.decoder();
        boolean inWord = d.inSpeech() || !d.partialWord().isEmpty();
        if (d.inSpeech() && !prevInSpeech) {
            double start = d.currentSpeechStart();
            if (opts.vadEvents() && (!everVoiced || start - voicedEndBeforeOnset >= VAD_MIN_GAP_SECONDS)) {
                send(msg.speechStarted(start));
            }
            everVoiced = true;
        }
        prevInSpeech = d.inSpeech();
        if (!d.inSpeech() && everVoiced) {
            voicedEndBeforeOnset = d.lastVoicedEnd();
        }
        long silenceMs = inWord ? 0 : Math.round(d.silenceSeconds() * 1000);
        boolean canCut = !inWord && silenceMs >= MIN_CUT_SILENCE_MS && t - CUT_MARGIN_MS > finalEndMs;
        long cut = t - CUT_MARGIN_MS;
        if (canCut) {
            if (speechSinceFinal && opts.endpointingMs() != null && silenceMs >= opts.endpointingMs()) {
                emitFinal(cut, true, false);
            } else if (t - finalEndMs > FORCE_FINAL_MS) {
                emitFinal(cut, false, false);
            }
        }
        if (opts.utteranceEndMs() != null
                && wordsSinceUtteranceEnd
                && !inWord
                && t - Math.round(lastWordEnd * 1000) >= opts.utteranceEndMs()) {
            if (!pending.isEmpty()) {
                if (!canCut) {
                    return; // deliver the words first, at the next possible cut
                }
                emitFinal(cut, false, false);
            }
            send(msg.utteranceEnd(lastWordEnd));
            wordsSinceUtteranceEnd = false;
        }
        if (opts.interimResults() && (inWord || speechSinceFinal) && t - lastInterimMs >= INTERIM_EVERY_MS) {
            List<DecodedWord> words = new ArrayList<>(pending);
            if (!d.partialWord().isEmpty()) {
                words.add(new DecodedWord(d.partialWord(), d.currentSpeechStart(), d.lastVoicedEnd(), 0.9));
            }
            send(msg.results(finalEndMs, t, false, false, false, punctuate(words, false), opts.punctuate()));
            lastInterimMs = t;
        }
    }

    private void absorb(List<DecodedWord> words) {
        for (DecodedWord w : words) {
            speechSinceFinal = true;
            if (w.recognized()) {
                pending.add(w);
                lastWordEnd = w.end();
                wordsSinceUtteranceEnd = true;
            }
        }
    }

    private void emitFinal(long cutMs, boolean speechFinal, boolean fromFinalize) {
        send(msg.results(
                finalEndMs, cutMs, true, speechFinal, fromFinalize, punctuate(pending, speechFinal), opts.punctuate()));
        if (!pending.isEmpty()) {
            sentenceStart = speechFinal;
        } else if (speechFinal) {
            sentenceStart = true;
        }
        pending.clear();
        speechSinceFinal = false;
        finalEndMs = cutMs;
        lastInterimMs = cutMs;
    }

    private List<V1Messages.OutWord> punctuate(List<DecodedWord> words, boolean endSentence) {
        List<V1Messages.OutWord> out = new ArrayList<>(words.size());
        for (int i = 0; i < words.size(); i++) {
            String p = words.get(i).word();
            if (i == 0 && sentenceStart && !p.isEmpty()) {
                p = Character.toUpperCase(p.charAt(0)) + p.substring(1);
            }
            if (endSentence && i == words.size() - 1) {
                p = p + ".";
            }
            out.add(new V1Messages.OutWord(words.get(i), p));
        }
        return out;
    }

    /** Flushes the decoder and emits the final(s) covering every byte received so far. */
    private void flushFinal(boolean fromFinalize) {
        absorb(audio.flush());
        SpeechDecoder d = audio.decoder();
        if (d != null) {
            prevInSpeech = d.inSpeech();
        }
        long end = Math.max(audio.audioMs(), finalEndMs);
        if (fromFinalize) {
            emitFinal(end, false, true);
        } else if (speechSinceFinal || end > finalEndMs) {
            emitFinal(end, !pending.isEmpty() && opts.endpointingMs() != null, false);
        }
    }

    private void closeStream() {
        flushFinal(false);
        send(msg.metadata(audio.sha256Hex(), audio.seconds()));
        close(1000, "");
    }

    @Override
    protected void emptyBinary() {
        closeStream();
    }

    @Override
    protected void text(String text, ObjectNode json) {
        String type = json == null ? null : json.path("type").asText(null);
        if (type == null) {
            send(msg.schemaError(text));
            return;
        }
        switch (type) {
            case "KeepAlive" -> {}
            case "Finalize" -> flushFinal(true);
            case "CloseStream" -> closeStream();
            case "Configure" -> configure(json);
            default -> send(msg.schemaError(text));
        }
    }

    private void configure(ObjectNode json) {
        JsonNode k = json.get("keyterms");
        if (k == null || k.isNull()) {
            send(msg.configureSuccess(keyterms));
            return;
        }
        if (!k.isArray()) {
            send(msg.configureFailure("InvalidConfigureMessage", "keyterms must be an array of strings"));
            return;
        }
        List<String> terms = new ArrayList<>();
        for (JsonNode t : k) {
            if (!t.isTextual() || t.asText().isBlank()) {
                send(msg.configureFailure("InvalidConfigureMessage", "keyterms must be non-empty strings"));
                return;
            }
            terms.add(t.asText());
        }
        if (!opts.model().startsWith("nova-3")) {
            send(msg.configureFailure("KeytermsNotSupported", "Keyterms are only supported with Nova-3 models."));
            return;
        }
        keyterms = List.copyOf(terms);
        send(msg.configureSuccess(keyterms));
    }

    @Override
    protected void idleTimeout() {
        send(msg.metadata("incomplete", audio.seconds()));
        close(1011, V1Messages.NET0001);
    }

    @Override
    protected void undecodable(String detail) {
        String reason = "DATA-0000 The payload cannot be decoded as audio: " + detail;
        close(1008, reason.length() > 120 ? reason.substring(0, 120) : reason);
    }

    @Override
    protected void sendFaultError(Fault.InBandError e) {
        send(msg.error("InternalError", e.code(), e.description()));
    }
}
