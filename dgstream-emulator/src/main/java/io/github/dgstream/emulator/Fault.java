package io.github.dgstream.emulator;

import java.util.Objects;

/**
 * A scripted fault: <em>when</em> it fires ({@link Trigger}) and <em>what</em> it does ({@link Action}), as in
 * OkHttp MockWebServer's split of trigger and effect. Audio triggers count audio time received on the connection
 * (bytes ÷ byte rate), never wall-clock time, so fault tests are deterministic.
 */
public record Fault(Trigger trigger, Action action) {
    public Fault {
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(action, "action");
    }

    /** When a fault fires. */
    public sealed interface Trigger {
        /** Right after the 101 upgrade, before any message is sent (Flux sends no {@code Connected}). */
        static Trigger onOpen() {
            return OnOpen.INSTANCE;
        }

        /** As soon as at least {@code seconds} of audio (and at least one audio byte) were received. */
        static Trigger afterAudio(double seconds) {
            return new AfterAudio(seconds);
        }
    }

    /** See {@link Trigger#onOpen()}. */
    public enum OnOpen implements Trigger {
        INSTANCE
    }

    /** See {@link Trigger#afterAudio(double)}. */
    public record AfterAudio(double seconds) implements Trigger {
        public AfterAudio {
            if (!(seconds >= 0)) {
                throw new IllegalArgumentException("seconds must be >= 0: " + seconds);
            }
        }
    }

    /** What a fault does. */
    public sealed interface Action {}

    /** Send a close frame with this code and reason (1000 gives a clean close nobody asked for). */
    public record Close(int code, String reason) implements Action {
        public Close {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Drop the TCP connection with no close frame; the client sees 1006 / EOF. */
    public enum Drop implements Action {
        INSTANCE
    }

    /**
     * Go half-open: stop reading (no more demand, so no pongs either) and stop writing, but keep the socket open.
     * Nothing more is sent and no close frame comes; the client must detect this through its own liveness checks.
     */
    public enum HalfOpen implements Action {
        INSTANCE
    }

    /**
     * Send an in-band error and then close. On {@code /v1/listen} the message is
     * {@code {"type":"Error","variant":"InternalError","code":code,"description":description}}; on {@code /v2/listen}
     * it is the Flux fatal error {@code {"type":"Error","sequence_id":n,"code":code,"description":description}}.
     */
    public record InBandError(String code, String description, int closeCode, String closeReason) implements Action {
        public InBandError {
            Objects.requireNonNull(code, "code");
            Objects.requireNonNull(description, "description");
            Objects.requireNonNull(closeReason, "closeReason");
        }
    }
}
