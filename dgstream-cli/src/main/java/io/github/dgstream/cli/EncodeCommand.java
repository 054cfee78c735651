package io.github.dgstream.cli;

import io.github.dgstream.emulator.speech.AudioEncoding;
import io.github.dgstream.emulator.speech.AudioFormat;
import io.github.dgstream.emulator.speech.SpeechEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dgstream encode}: writes speech the emulator can decode (its synthetic speech code). */
@Command(
        name = "encode",
        mixinStandardHelpOptions = true,
        description = {
            "Write TEXT as emulator-decodable speech (see dgstream-emulator/SPEECH-CODE.md).",
            "Sentences separated by '.', '?' or '!' become utterances with a pause between them."
        })
final class EncodeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "TEXT", description = "The text to speak.")
    String text;

    @Option(
            names = {"-o", "--output"},
            required = true,
            paramLabel = "FILE",
            description = "Output file: a WAV file, or raw samples when --raw is given.")
    Path output;

    @Option(
            names = "--sample-rate",
            defaultValue = "16000",
            paramLabel = "HZ",
            description = "Sample rate: 8000, 16000, 24000 or 48000 (mulaw: 8000). Default: ${DEFAULT-VALUE}.")
    int sampleRate;

    @Option(
            names = "--encoding",
            defaultValue = "linear16",
            paramLabel = "ENC",
            description = "linear16 or mulaw (mulaw is written raw). Default: ${DEFAULT-VALUE}.")
    String encoding;

    @Option(names = "--raw", description = "Write headerless samples instead of a WAV file.")
    boolean raw;

    @Override
    public Integer call() {
        AudioEncoding audioEncoding = AudioEncoding.fromWireName(encoding)
                .orElseThrow(() -> new CliException(
                        ExitCodes.USAGE, "--encoding must be linear16 or mulaw, not '" + encoding + "'"));
        if (SpeechEncoder.words(text).isEmpty()) {
            throw new CliException(ExitCodes.USAGE, "TEXT has no speakable words (letters, digits or ')");
        }
        boolean writeRaw = raw || audioEncoding == AudioEncoding.MULAW;
        AudioFormat format;
        try {
            format = new AudioFormat(audioEncoding, sampleRate, 1);
        } catch (IllegalArgumentException e) {
            throw new CliException(ExitCodes.USAGE, "--sample-rate: " + e.getMessage());
        }
        byte[] bytes = writeRaw ? SpeechEncoder.encode(text, format) : SpeechEncoder.encodeWav(text, sampleRate);
        try {
            Path parent = output.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.write(output, bytes);
        } catch (IOException e) {
            throw new CliException(ExitCodes.INPUT, "cannot write " + output + ": " + e.getMessage(), e);
        }
        System.err.printf(
                "wrote %s: %.2f s of %s %d Hz%s%n",
                output,
                format.secondsOf(writeRaw ? bytes.length : bytes.length - 44L),
                format.encoding().wireName(),
                sampleRate,
                writeRaw ? " (raw)" : " (WAV)");
        return ExitCodes.OK;
    }
}
