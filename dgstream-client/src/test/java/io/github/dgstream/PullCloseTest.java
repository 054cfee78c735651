package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.github.dgstream.emulator.ConnectionScript;
import io.github.dgstream.emulator.DeepgramEmulator;
import io.github.dgstream.emulator.RecordedConnection;
import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Done-when 3: leaving the loop by an exception or a break still finalizes, releases everything, in bounded time. */
class PullCloseTest {
    static final long FINISH_TIMEOUT_MS = 3000;

    DeepgramEmulator dg;
    DeepgramClient client;
    long baseline;

    @BeforeEach
    void setUp() {
        dg = DeepgramEmulator.builder().start();
        client = DeepgramClient.builder()
                .apiKey("k")
                .baseUrl(URI.create(dg.baseUrl()))
                .build();
        // Warm the shared pools with one session, then take the thread baseline.
        try (StreamSession s = client.listen().stream(options(LivenessConfig.defaults()))) {
            s.send(Arrays.copyOf(Speech.AUDIO, Speech.BYTES_PER_SECOND));
        }
        baseline = ThreadHygieneTest.clientThreads();
    }

    @AfterEach
    void tearDown() {
        client.close();
        dg.close();
    }

    static StreamingOptions options(LivenessConfig liveness) {
        return StreamingOptions.builder()
                .options(Speech.options())
                .liveness(liveness)
                .finishTimeout(Duration.ofMillis(FINISH_TIMEOUT_MS))
                .build();
    }

    @ParameterizedTest
    @ValueSource(strings = {"exception", "break"})
    void leavingTheLoopFinalizesAndReleasesEverything(String how) throws Exception {
        StreamSession[] ref = new StreamSession[1];
        long closeNanos = 0;
        RuntimeException thrown = null;
        try {
            try (StreamSession session = client.listen().stream(options(LivenessConfig.defaults()))) {
                ref[0] = session;
                session.send(Speech.AUDIO);
                for (StreamEvent e : session) {
                    if (e instanceof StreamEvent.Transcript t && t.isFinal()) {
                        closeNanos = System.nanoTime();
                        if (how.equals("exception")) {
                            throw new IllegalStateException("bug in the loop body");
                        }
                        break;
                    }
                }
                closeNanos = System.nanoTime();
            }
        } catch (IllegalStateException e) {
            thrown = e;
        }
        long closeMs = (System.nanoTime() - closeNanos) / 1_000_000;
        assertThat(thrown == null).isEqualTo(how.equals("break"));
        StreamSession session = ref[0];
        assertThat(closeMs).as("close() is bounded").isLessThan(FINISH_TIMEOUT_MS);
        assertThat(session.state()).isEqualTo(SessionState.CLOSED);
        // Finalized: the audio was flushed and CloseStream sent; the server's last finals reached the transcript.
        RecordedConnection rc = dg.connections().get(1);
        assertThat(rc.controlTypes()).contains("CloseStream");
        assertThat(rc.audioBytes()).isEqualTo(Speech.AUDIO.length);
        assertThat(rc.awaitClosed(Duration.ofSeconds(5))).isTrue();
        assertThat(rc.closeCode()).contains(1000);
        assertThat(session.accumulatedTranscript().split(" ")).hasSameSizeAs(Speech.WORDS);
        // Released: no thread per session; the pools are back to the baseline.
        await().atMost(Duration.ofSeconds(20)).until(() -> ThreadHygieneTest.clientThreads() <= baseline);
    }

    @Test
    void closeIsBoundedWhenTheServerNeverAnswers() {
        dg.script(dg.connectionCount(), ConnectionScript.halfOpenAfter(0.5));
        LivenessConfig deaf = LivenessConfig.builder()
                .pingIntervalMs(0)
                .receiveTimeoutMs(0)
                .build(); // nothing detects the dead socket: only the bound ends it
        long start = 0;
        StreamSession[] ref = new StreamSession[1];
        try (StreamSession session = client.listen().stream(options(deaf))) {
            ref[0] = session;
            session.send(Speech.AUDIO);
            start = System.nanoTime();
            throw new IllegalStateException("bug in the loop body");
        } catch (IllegalStateException expected) {
            // closed by try-with-resources
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(ms).isBetween(FINISH_TIMEOUT_MS - 100, FINISH_TIMEOUT_MS + DefaultStreamSession.CLOSE_MARGIN_MS);
        assertThat(ref[0].state().isTerminal()).isTrue();
        await().atMost(Duration.ofSeconds(20)).until(() -> ThreadHygieneTest.clientThreads() <= baseline);
    }
}
