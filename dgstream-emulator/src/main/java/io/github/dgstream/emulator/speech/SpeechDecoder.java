package io.github.dgstream.emulator.speech;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Streaming decoder of speech-code audio (see SPEECH-CODE.md). Feed it audio in chunks of any size; it reports each
 * word once the word is followed by 50 ms of silence. Audio that is voiced but not speech code is reported as words
 * with empty text, so it still counts as speech activity. Never throws on audio content.
 *
 * <p>Times are seconds from the first sample this decoder saw. The result depends only on the sample stream, never on
 * how it was chunked: samples are buffered across chunks (including a sample split between two chunks) and analysed in
 * 10 ms frames on a fixed grid starting at the first sample.
 *
 * <p>Not thread-safe: use one decoder per connection.
 */
public final class SpeechDecoder {

    /** Silent frames that end a word (50 ms); words of the code are 120 ms apart, characters are back to back. */
    static final int WORD_END_SILENT_FRAMES = 5;
    /** Sample level used to place a word's onset and offset to the sample inside its edge frames. */
    static final double EDGE_LEVEL = 0.02;

    private final AudioFormat format;
    private final FrameClassifier classifier;
    private final int frameSamples;

    private final byte[] pendingBytes;
    private int pendingByteCount;

    private double[] frame;
    private double[] previousFrame;
    private int frameFill;
    private long frameStartSample;
    private long previousFrameStartSample = -1;
    private long samplesConsumed;

    private final FrameRuns segment = new FrameRuns();
    private boolean inSpeech;
    private boolean lastFrameVoiced;
    private int trailingSilentFrames;
    private double segmentStart = Double.NaN;
    private double lastVoicedEnd = Double.NaN;

    public SpeechDecoder(AudioFormat format) {
        this.format = Objects.requireNonNull(format, "format");
        this.classifier = new FrameClassifier(format.sampleRate());
        this.frameSamples = classifier.frameSamples();
        this.pendingBytes = new byte[format.bytesPerFrame()];
        this.frame = new double[frameSamples];
        this.previousFrame = new double[frameSamples];
    }

    /**
     * Consumes a chunk; returns the words completed by it (those now followed by enough silence), in order.
     *
     * @throws IndexOutOfBoundsException if offset and length do not describe a range of data
     */
    public List<DecodedWord> accept(byte[] data, int offset, int length) {
        Objects.checkFromIndexSize(offset, length, data.length);
        List<DecodedWord> completed = new ArrayList<>();
        int bytesPerFrame = format.bytesPerFrame();
        int position = offset;
        int end = offset + length;
        while (position < end) {
            if (pendingByteCount == 0 && end - position >= bytesPerFrame) {
                addSample(mixDown(data, position), completed);
                position += bytesPerFrame;
            } else {
                // Part of a sample frame: keep it until the next chunk completes it.
                pendingBytes[pendingByteCount++] = data[position++];
                if (pendingByteCount == bytesPerFrame) {
                    pendingByteCount = 0;
                    addSample(mixDown(pendingBytes, 0), completed);
                }
            }
        }
        return completed;
    }

    /**
     * Completes the word in progress, if any, and returns it. When a word is in progress, the buffered part of the
     * current analysis frame is analysed as if padded with silence, and the frame grid restarts at the next sample;
     * otherwise buffered samples stay where they are, so a flush during silence does not change later results.
     */
    public List<DecodedWord> flush() {
        List<DecodedWord> completed = new ArrayList<>();
        if (!inSpeech) {
            return completed;
        }
        if (frameFill > 0) {
            Arrays.fill(frame, frameFill, frameSamples, 0.0);
            analyseFrame(frameFill, completed);
        }
        if (inSpeech) {
            completeWord(completed);
        }
        return completed;
    }

    /** Seconds of audio consumed so far, including samples of a not yet complete analysis frame. */
    public double audioSeconds() {
        return (double) samplesConsumed / format.sampleRate();
    }

    /** True while a word is in progress: from its first voiced frame until 50 ms of silence or a flush. */
    public boolean inSpeech() {
        return inSpeech;
    }

    /** Start of the word in progress in seconds, NaN if none. */
    public double currentSpeechStart() {
        return inSpeech ? segmentStart : Double.NaN;
    }

    /** The characters decoded so far of the word in progress; "" if none or not decodable. */
    public String partialWord() {
        return inSpeech ? segment.read().word() : "";
    }

    /** End in seconds of the last voiced audio seen, NaN if none yet. */
    public double lastVoicedEnd() {
        return lastVoicedEnd;
    }

    /**
     * Length in seconds of the current trailing silence: 0 if the last complete analysis frame was voiced, otherwise the
     * time since the last voiced audio (or since the start, if there was none).
     */
    public double silenceSeconds() {
        if (lastFrameVoiced) {
            return 0.0;
        }
        double since = Double.isNaN(lastVoicedEnd) ? audioSeconds() : audioSeconds() - lastVoicedEnd;
        return Math.max(0.0, since);
    }

    private double mixDown(byte[] bytes, int offset) {
        int channels = format.channels();
        if (channels == 1) {
            return SampleCodec.read(format, bytes, offset);
        }
        double sum = 0;
        for (int channel = 0; channel < channels; channel++) {
            sum += SampleCodec.read(format, bytes, offset + channel * format.bytesPerSample());
        }
        return sum / channels;
    }

    private void addSample(double sample, List<DecodedWord> completed) {
        frame[frameFill++] = sample;
        samplesConsumed++;
        if (frameFill == frameSamples) {
            analyseFrame(frameSamples, completed);
        }
    }

    /** Analyses the current frame, whose first {@code validSamples} samples are real audio, and starts the next one. */
    private void analyseFrame(int validSamples, List<DecodedWord> completed) {
        int label = classifier.classify(frame);
        if (label != FrameClassifier.SILENCE) {
            onVoicedFrame(label, validSamples);
        } else {
            onSilentFrame(validSamples, completed);
        }
        double[] recycled = previousFrame;
        previousFrame = frame;
        previousFrameStartSample = frameStartSample;
        frame = recycled;
        frameStartSample += validSamples;
        frameFill = 0;
    }

    private void onVoicedFrame(int label, int validSamples) {
        if (!inSpeech) {
            inSpeech = true;
            segment.clear();
            segmentStart = onsetSeconds();
        }
        for (; trailingSilentFrames > 0; trailingSilentFrames--) {
            segment.add(FrameClassifier.SILENCE); // a short pause inside a word (not produced by the encoder)
        }
        segment.add(label);
        int last = lastIndexAtEdgeLevel(frame, validSamples);
        long endSample = frameStartSample + (last >= 0 ? last + 1 : validSamples);
        lastVoicedEnd = seconds(endSample);
        lastFrameVoiced = true;
    }

    private void onSilentFrame(int validSamples, List<DecodedWord> completed) {
        lastFrameVoiced = false;
        if (!inSpeech) {
            return;
        }
        if (trailingSilentFrames == 0) {
            // A tone's last milliseconds can fall into the first frame that is silent overall.
            int last = lastIndexAtEdgeLevel(frame, validSamples);
            if (last >= 0) {
                lastVoicedEnd = seconds(frameStartSample + last + 1);
            }
        }
        trailingSilentFrames++;
        if (trailingSilentFrames >= WORD_END_SILENT_FRAMES) {
            completeWord(completed);
        }
    }

    /** Onset of a word starting in the current frame: its first loud sample, possibly late in the previous frame. */
    private double onsetSeconds() {
        if (previousFrameStartSample >= 0 && previousFrameStartSample + frameSamples == frameStartSample) {
            int first = firstIndexAtEdgeLevel(previousFrame);
            if (first >= 0) {
                return seconds(previousFrameStartSample + first);
            }
        }
        int first = firstIndexAtEdgeLevel(frame);
        return seconds(frameStartSample + Math.max(first, 0));
    }

    private void completeWord(List<DecodedWord> completed) {
        FrameRuns.Reading reading = segment.read();
        completed.add(new DecodedWord(reading.word(), segmentStart, lastVoicedEnd, reading.confidence()));
        inSpeech = false;
        trailingSilentFrames = 0;
        segment.clear();
        segmentStart = Double.NaN;
    }

    private int firstIndexAtEdgeLevel(double[] samples) {
        for (int i = 0; i < frameSamples; i++) {
            if (Math.abs(samples[i]) >= EDGE_LEVEL) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexAtEdgeLevel(double[] samples, int validSamples) {
        for (int i = validSamples - 1; i >= 0; i--) {
            if (Math.abs(samples[i]) >= EDGE_LEVEL) {
                return i;
            }
        }
        return -1;
    }

    private double seconds(long sample) {
        return (double) sample / format.sampleRate();
    }
}
