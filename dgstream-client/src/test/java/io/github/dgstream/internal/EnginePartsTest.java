package io.github.dgstream.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.dgstream.DeepgramException;
import io.github.dgstream.LiveOptions;
import io.github.dgstream.ReplayPolicy;
import io.github.dgstream.StreamEvent;
import io.github.dgstream.UnhandledMessage;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/** Pure tests of the engine parts: journal, timeline, replay window, classification, v1 decoding. */
class EnginePartsTest {

    private static byte[] bytes(int n) {
        return new byte[n];
    }

    @Test
    void journalDropsOldestWholeFramesAndKeepsPositions() {
        AudioJournal j = new AudioJournal(1000, 4);
        assertThat(j.append(bytes(600))).isZero();
        assertThat(j.append(bytes(602))).isEqualTo(204); // 1202 - 1000 rounded up to a frame
        assertThat(j.start()).isEqualTo(204);
        assertThat(j.end()).isEqualTo(1202);
        assertThat(j.droppedBytes()).isEqualTo(204);
        AudioJournal.Slice s = j.read(0, 10_000);
        assertThat(s.pos()).as("dropped audio is skipped, positions kept").isEqualTo(204);
        assertThat(s.data().remaining())
                .as("both appends share a block: one read")
                .isEqualTo(998);
        AudioJournal.Slice s2 = j.read(600, 100);
        assertThat(s2.pos()).isEqualTo(600);
        assertThat(s2.data().remaining()).isEqualTo(100);
        j.trimBefore(1001);
        assertThat(j.start()).isEqualTo(1000);
        assertThat(j.read(1202, 10)).isNull();
        assertThat(j.append(bytes(0))).isZero();
    }

    /** Byte at source position {@code pos} in the pattern streams below. */
    private static byte patternAt(long pos) {
        return (byte) (pos * 31 + (pos >>> 8));
    }

    private static ByteBuffer pattern(long from, int n) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = patternAt(from + i);
        }
        return ByteBuffer.wrap(b);
    }

    private static void assertPattern(AudioJournal.Slice s) {
        ByteBuffer d = s.data().duplicate();
        for (long p = s.pos(); d.hasRemaining(); p++) {
            assertThat(d.get()).as("byte at %d", p).isEqualTo(patternAt(p));
        }
    }

    @Test
    void journalBlocksKeepEveryByteAcrossBoundariesAndReuseAfterTrims() {
        AudioJournal j = new AudioJournal(64 * 1024, 2);
        long sent = 0;
        long end = 0;
        // 5,000 appends of odd sizes (crossing block boundaries), read the way Outbound does, trimmed behind 1 s
        for (int i = 0; i < 5000; i++) {
            int n = 1 + (i * 37) % 1500;
            ByteBuffer src = pattern(end, n);
            j.append(src);
            assertThat(src.hasRemaining()).as("append consumes its input").isFalse();
            end += n;
            for (AudioJournal.Slice s; (s = j.read(sent, 32 * 1024)) != null; ) {
                assertThat(s.pos()).isEqualTo(sent);
                assertPattern(s);
                sent += s.data().remaining();
            }
            j.trimBefore(sent - 8000);
        }
        assertThat(sent).isEqualTo(end);
        // the replay window still reads back intact from reused blocks
        for (long p = j.start(); p < end; ) {
            AudioJournal.Slice s = j.read(p, 32 * 1024);
            assertPattern(s);
            p = s.pos() + s.data().remaining();
        }
    }

    @Test
    void trimsReleaseWholeBlocksOnlyOnceANewerBlockExistsAndClearStartsOver() {
        AudioJournal j = new AudioJournal(1 << 20, 1);
        j.append(pattern(0, 4000));
        j.trimBefore(4000); // everything sent, but the only block is still being filled
        assertThat(j.storageBytes()).isEqualTo(AudioJournal.BLOCK_BYTES);
        j.append(pattern(4000, 400)); // does not fit: a second block
        j.append(pattern(4400, 9000)); // larger than a block: a third, of its own size
        j.trimBefore(4399); // the first block ends at 4000: released; the second ends at 4400: kept
        assertThat(j.storageBytes()).isEqualTo(2L * AudioJournal.BLOCK_BYTES + 9000);
        assertPattern(j.read(4000, 32 * 1024));
        j.trimBefore(13_400); // both older blocks go; the newest stays
        assertThat(j.start()).isEqualTo(13_400);
        assertThat(j.storageBytes()).isEqualTo(2L * AudioJournal.BLOCK_BYTES + 9000); // two spares kept
        j.clear();
        assertThat(j.storageBytes()).isZero();
        j.append(pattern(13_400, 500));
        AudioJournal.Slice s = j.read(0, 32 * 1024);
        assertThat(s.pos()).isEqualTo(13_400);
        assertThat(s.data().remaining()).isEqualTo(500);
        assertPattern(s);
    }

    @Test
    void storageBytesCountsLiveAndSpareBlocks() {
        AudioJournal j = new AudioJournal(1 << 20, 1);
        assertThat(j.storageBytes()).isZero();
        long end = 0;
        for (int c = 0; c < 60; c++) { // 24,000 bytes: 6 blocks of 4 KiB (10 appends of 400 bytes each)
            j.append(pattern(end, 400));
            end += 400;
        }
        assertThat(j.storageBytes()).isEqualTo(6L * AudioJournal.BLOCK_BYTES);
        j.trimBefore(end - 400); // 5 blocks released: 3 kept as spares
        assertThat(j.storageBytes()).isEqualTo(4L * AudioJournal.BLOCK_BYTES);
        j.append(pattern(end, 10_000)); // a chunk larger than a block gets an array of its own size
        assertThat(j.storageBytes()).isEqualTo(4L * AudioJournal.BLOCK_BYTES + 10_000);
    }

    @Test
    void aReadStopsAtItsLimitSoAControlKeepsItsPlaceBetweenAppends() {
        AudioJournal j = new AudioJournal(64 * 1024, 1);
        j.append(pattern(0, 300));
        j.append(pattern(300, 300)); // a Finalize queued at 300 goes between these two appends
        assertThat(j.read(0, 32 * 1024, 300).data().remaining()).isEqualTo(300);
        assertThat(j.read(300, 32 * 1024, 300)).isNull();
        assertThat(j.read(300, 32 * 1024).data().remaining()).isEqualTo(300);
        assertThat(j.read(0, 100).data().remaining()).isEqualTo(100);
    }

    @Test
    void overflowNeverRefillsABlockAPendingWriteMayStillRead() {
        AudioJournal j = new AudioJournal(4096, 1);
        j.append(pattern(0, 1000));
        AudioJournal.Slice inFlight = j.read(0, 32 * 1024); // a socket is writing this
        // the socket stalls while the user keeps sending: the journal overflows and drops the in-flight audio
        long end = 1000;
        for (int i = 0; i < 50; i++) {
            j.append(pattern(end, 700));
            end += 700;
        }
        assertThat(j.start()).isGreaterThan(1000);
        assertPattern(inFlight);
        j.trimBefore(end - 100);
        j.append(pattern(end, 3000));
        assertPattern(inFlight);
    }

    @Test
    void timelineRebasesByTheSourcePositionOfTheFirstByteAndAcrossGaps() {
        SocketTimeline t = SocketTimeline.bytes(32000);
        t.sent(320_000, 32000); // socket starts at source 10.0 s
        assertThat(t.toSession(0.5)).isCloseTo(10.5, within(1e-9));
        t.sent(400_000, 32000); // the journal dropped 1.5 s of unsent audio: a new segment
        assertThat(t.toSession(0.5)).isCloseTo(10.5, within(1e-9));
        assertThat(t.toSession(1.25)).isCloseTo(12.75, within(1e-9));
        SocketTimeline compressed = SocketTimeline.offset(7.25);
        assertThat(compressed.toSession(1.0)).isEqualTo(8.25);
    }

    @Test
    void replayWindowPerPolicy() {
        double rate = 32000;
        // watermark 3 s, written 10 s, acknowledged 9 s
        long w = 96000;
        long sent = 320000;
        long acked = 288000;
        assertThat(Outbound.replayFrom(ReplayPolicy.sinceLastFinal(), w, sent, acked, rate))
                .isEqualTo(w);
        assertThat(Outbound.replayFrom(ReplayPolicy.off(), w, sent, acked, rate))
                .isEqualTo(acked);
        assertThat(Outbound.replayFrom(ReplayPolicy.capped(2.0), w, sent, acked, rate))
                .isEqualTo(sent - 64000);
        assertThat(Outbound.replayFrom(ReplayPolicy.capped(60), w, sent, acked, rate))
                .isEqualTo(w);
        assertThat(Outbound.replayFrom(ReplayPolicy.sinceLastFinal(), w, sent, acked, 0))
                .isEqualTo(acked);
        assertThat(Outbound.retainFrom(ReplayPolicy.sinceLastFinal(), w, acked, rate))
                .isEqualTo(w);
        assertThat(Outbound.retainFrom(ReplayPolicy.off(), w, acked, rate)).isEqualTo(acked);
    }

    @Test
    void classification() {
        assertThat(Classifier.close(1011, "NET-0001 idle", null, null).isRetryable())
                .isTrue();
        assertThat(Classifier.close(1006, "", null, null).isRetryable()).isTrue();
        assertThat(Classifier.close(1000, "", null, null).isRetryable())
                .as("an unasked clean close")
                .isTrue();
        assertThat(Classifier.close(1012, "", null, null).isRetryable()).isTrue();
        assertThat(Classifier.close(1008, "DATA-0000 bad audio", null, null).isRetryable())
                .isFalse();
        assertThat(Classifier.close(1002, "", null, null).isRetryable()).isFalse();
        for (int s : new int[] {408, 429, 500, 502, 503}) {
            assertThat(Classifier.handshake(s, null, null, null).isRetryable()).isTrue();
        }
        for (int s : new int[] {400, 401, 402, 403, 404}) {
            assertThat(Classifier.handshake(s, null, null, null).isRetryable()).isFalse();
        }
        DeepgramException e = Classifier.handshake(
                402, "No credits", "rid-1", "{\"err_code\":\"ASR_PAYMENT_REQUIRED\",\"err_msg\":\"x\"}");
        assertThat(e.errCode()).isEqualTo("ASR_PAYMENT_REQUIRED");
        assertThat(e.dgError()).isEqualTo("No credits");
        assertThat(e.requestId()).isEqualTo("rid-1");
        assertThat(e.getMessage()).contains("402").contains("No credits");
    }

    @Test
    void v1DecodingRebasesEveryTimeField() {
        V1Adapter a = new V1Adapter(
                LiveOptions.builder().encoding("linear16").sampleRate(16000).build());
        SocketTimeline t = SocketTimeline.bytes(32000);
        t.sent(64000, 320000); // this socket starts at session time 2.0 s
        ProtocolAdapter.Decoded d = a.decode(
                "{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":1.5,\"start\":1.0,\"is_final\":true,"
                        + "\"speech_final\":true,\"from_finalize\":false,\"channel\":{\"alternatives\":[{"
                        + "\"transcript\":\"hello world\",\"confidence\":0.9,\"words\":[{\"word\":\"hello\","
                        + "\"start\":1.1,\"end\":1.4,\"confidence\":0.95,\"punctuated_word\":\"Hello\",\"speaker\":1}]}]},"
                        + "\"metadata\":{\"request_id\":\"rid\"}}",
                t);
        StreamEvent.Transcript tr = (StreamEvent.Transcript) d.events().get(0);
        assertThat(tr.start()).isCloseTo(3.0, within(1e-9));
        assertThat(tr.end()).isCloseTo(4.5, within(1e-9));
        assertThat(tr.words().get(0).start()).isCloseTo(3.1, within(1e-9));
        assertThat(tr.words().get(0).speaker()).isEqualTo(1);
        assertThat(tr.words().get(0).displayText()).isEqualTo("Hello");
        assertThat(d.watermarkSeconds()).isCloseTo(4.5, within(1e-9));
        assertThat(d.requestId()).isEqualTo("rid");

        var ss = (StreamEvent.SpeechStarted)
                a.decode("{\"type\":\"SpeechStarted\",\"channel\":[0,1],\"timestamp\":0.25}", t)
                        .events()
                        .get(0);
        assertThat(ss.timestamp()).isCloseTo(2.25, within(1e-9));
        var ue = (StreamEvent.UtteranceEnd)
                a.decode("{\"type\":\"UtteranceEnd\",\"channel\":[0,1],\"last_word_end\":1.4}", t)
                        .events()
                        .get(0);
        assertThat(ue.lastWordEnd()).isCloseTo(3.4, within(1e-9));
        ProtocolAdapter.Decoded md = a.decode("{\"type\":\"Metadata\",\"request_id\":\"r\",\"duration\":5.0}", t);
        assertThat(md.endOfStream()).isTrue();
        ProtocolAdapter.Decoded err = a.decode(
                "{\"type\":\"Error\",\"variant\":\"InternalError\",\"code\":\"X\",\"description\":\"boom\"}", t);
        assertThat(err.serverError().errCode()).isEqualTo("X");
        assertThat(err.events()).isEmpty();
        assertThat(a.decode("{\"type\":\"ConfigureSuccess\"}", t).events().get(0))
                .isInstanceOf(UnhandledMessage.class);
        assertThat(a.decode("not json", t).events().get(0)).isInstanceOf(UnhandledMessage.class);
    }

    @Test
    void sendCopiesAndIgnoresEmptyBuffers() {
        AudioJournal j = new AudioJournal(100, 2);
        byte[] data = {1, 2, 3, 4};
        j.append(data.clone());
        data[0] = 9;
        ByteBuffer b = j.read(0, 4).data();
        assertThat(b.get(0)).isEqualTo((byte) 1);
    }
}
