package io.github.dgstream.bench.jmh;

/** Server messages as the emulator (and Deepgram) sends them, for the decode benchmarks. */
final class Messages {
    private Messages() {}

    /** A final {@code Results} with {@code n} words, the emulator's field order and metadata. */
    static String results(int n) {
        StringBuilder words = new StringBuilder();
        StringBuilder transcript = new StringBuilder();
        double t = words(n, 12.34, false, words, transcript);
        return "{\"type\":\"Results\",\"channel_index\":[0,1],\"duration\":" + round(t - 12.3) + ",\"start\":12.3,"
                + "\"is_final\":true,\"speech_final\":true,\"from_finalize\":false,\"channel\":{\"alternatives\":[{"
                + "\"transcript\":\"" + transcript + "\",\"confidence\":0.99,\"words\":[" + words + "]}]},"
                + "\"metadata\":{\"request_id\":\"5b2a5e1e-7a0c-4c55-9d1b-5f0f0c0e2d11\","
                + "\"model_uuid\":\"1dbdfb4d-85b2-4659-9468-b1d20a9cb8f8\",\"model_info\":{\"name\":\"general-nova-3\","
                + "\"version\":\"emulator\",\"arch\":\"nova-3\"}}}";
    }

    /**
     * A Flux {@code TurnInfo} {@code Update} of turn 0 with {@code n} words, the emulator's field order; the words and
     * the audio window start {@code shift} seconds in (a later Update reaches further).
     */
    static String turnInfo(int n, double shift) {
        StringBuilder words = new StringBuilder();
        StringBuilder transcript = new StringBuilder();
        double t = words(n, 0.34 + shift, true, words, transcript);
        return "{\"type\":\"TurnInfo\",\"event\":\"Update\",\"turn_index\":0,\"audio_window_start\":0.0,"
                + "\"audio_window_end\":" + round(t) + ",\"transcript\":\"" + transcript + "\",\"words\":[" + words
                + "],\"end_of_turn_confidence\":0.12,\"request_id\":\"5b2a5e1e-7a0c-4c55-9d1b-5f0f0c0e2d11\","
                + "\"sequence_id\":7}";
    }

    /**
     * Appends {@code n} word objects starting at {@code t} (0.2 s long, 0.32 s apart) in v1's or Flux's field order,
     * and their transcript; returns the time after the last.
     */
    private static double words(int n, double t, boolean flux, StringBuilder words, StringBuilder transcript) {
        for (int i = 0; i < n; i++) {
            String w = "word" + i;
            if (i > 0) {
                words.append(',');
                transcript.append(' ');
            }
            String times = "\"start\":" + round(t) + ",\"end\":" + round(t + 0.2);
            words.append("{\"word\":\"").append(w).append("\",");
            if (flux) {
                words.append("\"confidence\":0.981,").append(times).append('}');
            } else {
                words.append(times)
                        .append(",\"confidence\":0.981,\"punctuated_word\":\"")
                        .append(w)
                        .append("\"}");
            }
            transcript.append(w);
            t += 0.32;
        }
        return t;
    }

    private static double round(double s) {
        return Math.round(s * 1000) / 1000.0;
    }
}
