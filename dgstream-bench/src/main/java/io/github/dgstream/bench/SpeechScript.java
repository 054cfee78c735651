package io.github.dgstream.bench;

import io.github.dgstream.emulator.speech.AudioFormat;
import io.github.dgstream.emulator.speech.SpeechEncoder;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * The audio every stream sends: synthetic speech of distinct pseudo-random words (so a lost word and a doubled word
 * are unambiguous), in utterances of 4 to 9 words, at least {@code seconds} long.
 */
final class SpeechScript {
    final String text;
    final List<String> words;
    final Map<String, Integer> index = new HashMap<>();
    final byte[] audio;
    final AudioFormat format;

    SpeechScript(double seconds, AudioFormat format, long seed) {
        this.format = format;
        Random r = new Random(seed);
        Set<String> used = new HashSet<>();
        StringBuilder sb = new StringBuilder();
        double t = 0.6; // leading and trailing silence
        while (t < seconds) {
            int n = 4 + r.nextInt(6);
            for (int i = 0; i < n && t < seconds; i++) {
                String w;
                do {
                    int len = 3 + r.nextInt(5);
                    StringBuilder wb = new StringBuilder();
                    for (int k = 0; k < len; k++) {
                        wb.append((char) ('a' + r.nextInt(26)));
                    }
                    w = wb.toString();
                } while (!used.add(w));
                if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ' ') {
                    sb.append(' ');
                }
                sb.append(w);
                t += w.length() * 0.040 + 0.120;
            }
            sb.append(". ");
            t += 0.600 - 0.120;
        }
        this.text = sb.toString().trim();
        this.words = SpeechEncoder.words(text);
        for (int i = 0; i < words.size(); i++) {
            index.put(words.get(i), i);
        }
        this.audio = SpeechEncoder.encode(text, format);
    }

    double seconds() {
        return format.secondsOf(audio.length);
    }
}
