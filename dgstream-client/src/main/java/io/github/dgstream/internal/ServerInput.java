package io.github.dgstream.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dgstream.DeepgramException;

/**
 * Trust rules for server messages, shared by the v1 and Flux adapters: bounded JSON parsing, and times that must be
 * present, finite, non-negative and not far beyond the audio sent on the socket. A message that carries transcript
 * or watermark data and breaks a rule is not trusted: the adapter reports it as {@code UnhandledMessage} plus a
 * retryable {@link DeepgramException.Kind#PROTOCOL} error, and the engine replaces the connection.
 */
final class ServerInput {
    /** Server times may run at most this far past the audio sent on the socket before a message is not trusted. */
    static final double TIME_SLACK_SECONDS = 2.0;

    /**
     * Bounded parsing of untrusted server text: nesting depth 64 (Deepgram's messages nest about 5 deep), numbers of
     * at most 100 characters, strings and documents no longer than the transport's message cap.
     */
    static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(64)
                    .maxNumberLength(100)
                    .maxStringLength(JdkTransport.MAX_TEXT_CHARS)
                    .maxDocumentLength(JdkTransport.MAX_TEXT_CHARS)
                    .build())
            .enable(StreamReadFeature.USE_FAST_DOUBLE_PARSER)
            .build());

    /** A present, finite, non-negative JSON number. */
    static boolean validTime(JsonNode v) {
        return v != null && v.isNumber() && Double.isFinite(v.asDouble()) && v.asDouble() >= 0;
    }

    /** A present, finite, non-negative JSON number no larger than {@code limit}. */
    static boolean validTime(JsonNode v, double limit) {
        return validTime(v) && v.asDouble() <= limit;
    }

    /**
     * Latest plausible server time on this socket: the audio sent on it plus {@link #TIME_SLACK_SECONDS}. Compressed
     * audio has no byte-exact bound; there a day of audio is the limit, which keeps session times finite.
     */
    static double timeLimit(SocketTimeline tl) {
        return tl.byteExact() ? tl.socketBytes() / tl.bytesPerSecond() + TIME_SLACK_SECONDS : 86_400.0;
    }

    /** The retryable PROTOCOL failure for a message that cannot be trusted. */
    static DeepgramException untrusted(String msg) {
        return DeepgramException.builder(DeepgramException.Kind.PROTOCOL, msg)
                .retryable(true)
                .build();
    }

    private ServerInput() {}
}
