package io.github.dgstream.emulator;

import io.github.dgstream.emulator.speech.AudioFormat;
import java.util.List;

/** Validated {@code /v2/listen} options. {@code format} null = WAV container expected. */
record FluxOptions(
        String model,
        AudioFormat format,
        double eotThreshold,
        Double eagerEotThreshold,
        int eotTimeoutMs,
        List<String> keyterms,
        List<String> languageHints) {

    boolean multilingual() {
        return model.equals("flux-general-multi");
    }
}
