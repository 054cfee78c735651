package io.github.dgstream.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dgstream.DeepgramEvent;
import io.github.dgstream.FluxEvent;
import io.github.dgstream.FluxOptions;
import io.github.dgstream.UnhandledMessage;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Flux adapter and its turn reconciliation, message by message (no network). */
class FluxAdapterTest {
    final FluxAdapter a = new FluxAdapter(FluxOptions.builder()
            .encoding("linear16")
            .sampleRate(16000)
            .keyterm("a b")
            .keyterm("c")
            .build());

    /** A socket whose first byte is session second {@code offset}. */
    static SocketTimeline socketAt(double offset) {
        SocketTimeline tl = SocketTimeline.bytes(32000);
        tl.sent(Math.round(offset * 32000), 32000 * 60);
        return tl;
    }

    static String turn(String event, int index, double start, double end, String text) {
        return "{\"type\":\"TurnInfo\",\"event\":\"" + event + "\",\"turn_index\":" + index + ",\"audio_window_start\":"
                + start + ",\"audio_window_end\":" + end + ",\"transcript\":\"" + text
                + "\",\"words\":[{\"word\":\"w\",\"confidence\":0.9,\"start\":" + start + ",\"end\":"
                + Math.max(start, end - 0.4) + "}],\"end_of_turn_confidence\":0.8}";
    }

    List<DeepgramEvent> decode(String json, SocketTimeline tl) {
        return a.decode(json, tl).events();
    }

    @Test
    void urlRepeatsKeytermsAndUsesTheSettingsAConfigureSuccessReported() {
        assertThat(a.uri(URI.create("ws://h:1")).toString())
                .isEqualTo("ws://h:1/v2/listen?model=flux-general-en&encoding=linear16&sample_rate=16000"
                        + "&keyterm=a%20b&keyterm=c");
        a.decode(
                "{\"type\":\"ConfigureSuccess\",\"thresholds\":{\"eot_threshold\":0.8,\"eot_timeout_ms\":3000},"
                        + "\"keyterms\":[\"x\"],\"language_hints\":[]}",
                socketAt(0));
        assertThat(a.uri(URI.create("ws://h:1")).getQuery())
                .contains("eot_threshold=0.8", "eot_timeout_ms=3000", "keyterm=x")
                .doesNotContain("keyterm=c", "eager_eot_threshold");
    }

    @Test
    void errorIsClassifiedFromItsCode() {
        var fatal = a.decode("{\"type\":\"Error\",\"code\":\"UNPARSABLE_CLIENT_MESSAGE\",\"description\":\"d\"}", null)
                .serverError();
        assertThat(fatal.isRetryable()).isFalse();
        assertThat(fatal.errCode()).isEqualTo("UNPARSABLE_CLIENT_MESSAGE");
        assertThat(fatal.description()).isEqualTo("d");
        assertThat(a.decode("{\"type\":\"Error\",\"code\":\"INTERNAL_SERVER_ERROR\"}", null)
                        .serverError()
                        .isRetryable())
                .isTrue();
        assertThat(a.errorEndsConnection()).isTrue();
        assertThat(a.keepAliveMessage()).isNull();
        assertThat(a.isNormalCloseAfterCloseStream(1005)).isTrue();
        assertThat(a.isNormalCloseAfterCloseStream(1000)).isFalse(); // Flux ends with no status: a 1000 is unasked
    }

    @Test
    void aMidTurnReconnectKeepsOneTurnWithMonotonicWindows() {
        SocketTimeline s1 = socketAt(0);
        a.onNewSocket(0);
        assertThat(decode(turn("StartOfTurn", 0, 0, 0.3, "a"), s1))
                .singleElement()
                .isInstanceOf(FluxEvent.StartOfTurn.class);
        var eot = a.decode(turn("EndOfTurn", 0, 0, 2.0, "a b."), s1);
        assertThat(eot.watermarkSeconds()).isEqualTo(2.0);
        assertThat(decode(turn("Update", 1, 2.0, 2.2, ""), s1))
                .as("trailing Update: no phantom turn")
                .isEmpty();
        assertThat(decode(turn("StartOfTurn", 1, 2.0, 2.5, "c"), s1))
                .singleElement()
                .satisfies(e -> assertThat(((FluxEvent.Turn) e).turnIndex()).isEqualTo(1));
        decode(turn("Update", 1, 2.0, 3.0, "c d"), s1);

        // the socket dies; the new one starts at the watermark (2.0) and restarts its clock and turn_index at 0
        SocketTimeline s2 = socketAt(2.0);
        a.onNewSocket(2.0);
        assertThat(a.expectsMessages()).as("before Connected").isTrue();
        decode("{\"type\":\"Connected\",\"request_id\":\"r2\",\"sequence_id\":0}", s2);
        assertThat(a.expectsMessages()).as("between turns on the new socket").isFalse();
        List<DeepgramEvent> again = decode(turn("StartOfTurn", 0, 0, 0.5, "c"), s2);
        assertThat(again).as("window end 2.5 < 3.0 already delivered: dropped").isEmpty();
        assertThat(decode(turn("Update", 0, 0, 1.25, "c d e"), s2))
                .singleElement()
                .isInstanceOfSatisfying(FluxEvent.Update.class, u -> {
                    assertThat(u.turnIndex()).isEqualTo(1);
                    assertThat(u.audioWindowStart()).isEqualTo(2.0);
                    assertThat(u.audioWindowEnd()).isEqualTo(3.25);
                    assertThat(u.words().get(0).start()).isEqualTo(2.0);
                });
        decode(turn("EagerEndOfTurn", 0, 0, 1.5, "c d e."), s2);
        assertThat(decode(turn("EagerEndOfTurn", 0, 0, 1.6, "c d e."), s2))
                .as("same eager text again")
                .isEmpty();
        assertThat(decode(turn("EndOfTurn", 0, 0, 1.8, "c d e."), s2))
                .singleElement()
                .isInstanceOfSatisfying(FluxEvent.EndOfTurn.class, e -> {
                    assertThat(e.turnIndex()).isEqualTo(1);
                    assertThat(e.audioWindowEnd()).isEqualTo(3.8);
                    assertThat(e.synthesized()).isFalse();
                });
        assertThat(a.streamEnded()).as("no turn open").isEmpty();
    }

    @Test
    void finishSurfacesTheLastUpdateOfAnOpenTurnAsASynthesizedEndOfTurn() {
        SocketTimeline s = socketAt(0);
        decode(turn("StartOfTurn", 0, 0, 0.3, "a"), s);
        decode(turn("Update", 0, 0, 0.8, "a b"), s);
        assertThat(a.streamEnded()).singleElement().isInstanceOfSatisfying(FluxEvent.EndOfTurn.class, e -> {
            assertThat(e.synthesized()).isTrue();
            assertThat(e.transcript()).isEqualTo("a b");
            assertThat(e.turnIndex()).isZero();
            assertThat(e.audioWindowEnd()).isEqualTo(0.8);
        });
        assertThat(a.streamEnded()).isEmpty();
    }

    @Test
    void unknownTypesAndEventsAreDeliveredVerbatim() {
        assertThat(decode("{\"type\":\"Shiny\"}", socketAt(0))).singleElement().isInstanceOf(UnhandledMessage.class);
        assertThat(decode(turn("SomethingNew", 0, 0, 1, "x"), socketAt(0)))
                .singleElement()
                .isInstanceOf(UnhandledMessage.class);
        assertThat(decode("{\"type\":\"Warning\",\"code\":\"W\",\"description\":\"d\"}", socketAt(0)))
                .containsExactly(new FluxEvent.Warning("W", "d"));
    }
}
