package io.github.dgstream.bench.jmh;

import io.github.dgstream.emulator.speech.AudioFormat;
import io.github.dgstream.emulator.speech.DecodedWord;
import io.github.dgstream.emulator.speech.SpeechDecoder;
import io.github.dgstream.emulator.speech.SpeechEncoder;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The emulator's side of every load run: {@link SpeechDecoder#accept} of one 50 ms chunk of 8 kHz mu-law speech code
 * (400 B), the audio the harness streams. At 1,000 streams the emulator decodes 20,000 such chunks a second on the same
 * 2 cores as the client, so its cost is CPU the client does not get.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SpeechDecodeBench {
    private static final int CHUNK = 400;

    private byte[] audio;
    private SpeechDecoder decoder;
    private int pos;

    @Setup
    public void setup() {
        // Words of 3-7 characters in utterances, like the harness's script: about 70 % of frames are voiced.
        String text = "quick brown foxes jumped over lazy dogs. several wizards boxed jovial quacks. "
                + "packing my box with five dozen liquor jugs. how vexingly quick daft zebras jump.";
        byte[] one = SpeechEncoder.encode(text, AudioFormat.mulaw8k());
        audio = new byte[one.length - one.length % CHUNK];
        System.arraycopy(one, 0, audio, 0, audio.length);
        decoder = new SpeechDecoder(AudioFormat.mulaw8k());
    }

    @Benchmark
    public List<DecodedWord> accept50ms() {
        List<DecodedWord> words = decoder.accept(audio, pos, CHUNK);
        pos += CHUNK;
        if (pos == audio.length) {
            pos = 0;
        }
        return words;
    }
}
