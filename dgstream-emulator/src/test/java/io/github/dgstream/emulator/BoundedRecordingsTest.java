package io.github.dgstream.emulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A long-running emulator keeps a bounded number of recordings, each of bounded size. */
@Timeout(60)
class BoundedRecordingsTest {
    static final String V1 = "?encoding=linear16&sample_rate=16000";

    @Test
    void keepsOnlyTheNewestRecordingsAndSaysSoForADroppedOne() throws Exception {
        try (DeepgramEmulator dg =
                DeepgramEmulator.builder().maxRecordedConnections(2).start()) {
            for (int i = 0; i < 3; i++) {
                try (RawClient c = RawClient.connect(dg.listenUrl() + V1)) {
                    c.sendType("CloseStream");
                    assertThat(dg.awaitClosed(i, RawClient.WAIT)).isTrue();
                }
            }
            assertThat(dg.connectionCount()).isEqualTo(3);
            assertThat(dg.connections()).extracting(RecordedConnection::index).containsExactly(1, 2);
            assertThat(dg.connection(2, Duration.ZERO).index()).isEqualTo(2);
            assertThatThrownBy(() -> dg.connection(0, RawClient.WAIT))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("connection 0 was dropped")
                    .hasMessageContaining("maxRecordedConnections");
            // the untaken queue is bounded the same way: the oldest went
            assertThat(dg.takeConnection(Duration.ZERO).index()).isEqualTo(1);
            assertThat(dg.takeConnection(Duration.ZERO).index()).isEqualTo(2);
            assertThat(dg.takeConnection(Duration.ZERO)).isNull();
        }
    }

    @Test
    void rejectsANonPositiveLimit() {
        assertThatThrownBy(() -> DeepgramEmulator.builder().maxRecordedConnections(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxRecordedConnections");
    }

    @Test
    void recordsTheFirstTenThousandControlMessagesOfAConnection() throws Exception {
        try (DeepgramEmulator dg = DeepgramEmulator.start();
                RawClient c = RawClient.connect(dg.listenUrl() + V1)) {
            for (int i = 0; i < 10_001; i++) {
                c.sendType("KeepAlive");
            }
            c.sendType("CloseStream");
            RecordedConnection rec = dg.connection(0, RawClient.WAIT);
            assertThat(rec.awaitClosed(RawClient.WAIT)).isTrue();
            List<String> types = rec.controlTypes();
            assertThat(types).hasSize(10_000).containsOnly("KeepAlive");
        }
    }
}
