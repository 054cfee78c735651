package io.github.dgstream.emulator;

import io.github.dgstream.emulator.speech.AudioFormat;
import java.util.List;

/** Validated {@code /v1/listen} options the emulator acts on. {@code format} null = WAV container expected. */
record ListenOptions(
        String model,
        AudioFormat format,
        boolean interimResults,
        Integer endpointingMs,
        Integer utteranceEndMs,
        boolean vadEvents,
        boolean punctuate,
        List<String> keyterms) {}
