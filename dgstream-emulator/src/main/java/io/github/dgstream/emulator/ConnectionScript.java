package io.github.dgstream.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What the emulator does with one handshake attempt: refuse it, or accept it and inject faults. Immutable.
 *
 * <p>Scripts are handed out by {@link DeepgramEmulator#enqueue(ConnectionScript)} (FIFO, one per handshake attempt,
 * refused attempts included), {@link DeepgramEmulator#script(int, ConnectionScript)} (by 0-based attempt index) and
 * {@link DeepgramEmulator#setDefaultScript(ConnectionScript)}.
 */
public final class ConnectionScript {
    private static final ConnectionScript NORMAL = builder().build();

    private final Refusal refusal;
    private final List<Fault> faults;
    private final Duration latency;

    private ConnectionScript(Builder b) {
        this.refusal = b.refusal;
        this.faults = List.copyOf(b.faults);
        this.latency = b.latency;
    }

    /** Accept and behave like Deepgram, with no faults. */
    public static ConnectionScript normal() {
        return NORMAL;
    }

    /** Refuse the handshake with this status and Deepgram's error body for it (see {@link Refusal#of(int)}). */
    public static ConnectionScript refuse(int status) {
        return builder().refuse(Refusal.of(status)).build();
    }

    /** Refuse the handshake with this status, error code and message. */
    public static ConnectionScript refuse(int status, String errCode, String errMsg) {
        return builder().refuse(new Refusal(status, errCode, errMsg)).build();
    }

    /** Close with {@code code} and {@code reason} after {@code audioSeconds} of audio. */
    public static ConnectionScript closeAfter(double audioSeconds, int code, String reason) {
        return builder().closeAfter(audioSeconds, code, reason).build();
    }

    /** Drop TCP with no close frame after {@code audioSeconds} of audio. */
    public static ConnectionScript dropAfter(double audioSeconds) {
        return builder().dropAfter(audioSeconds).build();
    }

    /** Go half-open (stop reading and writing, keep the socket) after {@code audioSeconds} of audio. */
    public static ConnectionScript halfOpenAfter(double audioSeconds) {
        return builder().halfOpenAfter(audioSeconds).build();
    }

    /** Send an in-band {@code INTERNAL_SERVER_ERROR} Error and close 1011 after {@code audioSeconds} of audio. */
    public static ConnectionScript errorAfter(double audioSeconds, String description) {
        return builder().errorAfter(audioSeconds, description).build();
    }

    /** Accept the upgrade (101) and drop the TCP connection at once: "accept-then-drop flapping". */
    public static ConnectionScript dropOnOpen() {
        return builder().at(Fault.Trigger.onOpen(), Fault.Drop.INSTANCE).build();
    }

    /** Accept the upgrade (101) and close at once with this code and reason. */
    public static ConnectionScript closeOnOpen(int code, String reason) {
        return builder()
                .at(Fault.Trigger.onOpen(), new Fault.Close(code, reason))
                .build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A copy of this script that delays every outbound message by {@code latency}. */
    public ConnectionScript withLatency(Duration latency) {
        return toBuilder().latency(latency).build();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.refusal = refusal;
        b.faults.addAll(faults);
        b.latency = latency;
        return b;
    }

    public Optional<Refusal> refusal() {
        return Optional.ofNullable(refusal);
    }

    public List<Fault> faults() {
        return faults;
    }

    /** The outbound latency of this script; empty means the emulator's default. */
    public Optional<Duration> latency() {
        return Optional.ofNullable(latency);
    }

    @Override
    public String toString() {
        return "ConnectionScript{refusal=" + refusal + ", faults=" + faults + ", latency=" + latency + "}";
    }

    /** Builds a {@link ConnectionScript}. Faults fire in trigger order; the first terminal one ends the connection. */
    public static final class Builder {
        private Refusal refusal;
        private final List<Fault> faults = new ArrayList<>();
        private Duration latency;

        private Builder() {}

        public Builder refuse(Refusal refusal) {
            this.refusal = Objects.requireNonNull(refusal, "refusal");
            return this;
        }

        public Builder refuse(int status) {
            return refuse(Refusal.of(status));
        }

        public Builder at(Fault.Trigger trigger, Fault.Action action) {
            faults.add(new Fault(trigger, action));
            return this;
        }

        public Builder closeAfter(double audioSeconds, int code, String reason) {
            return at(Fault.Trigger.afterAudio(audioSeconds), new Fault.Close(code, reason));
        }

        public Builder dropAfter(double audioSeconds) {
            return at(Fault.Trigger.afterAudio(audioSeconds), Fault.Drop.INSTANCE);
        }

        public Builder halfOpenAfter(double audioSeconds) {
            return at(Fault.Trigger.afterAudio(audioSeconds), Fault.HalfOpen.INSTANCE);
        }

        public Builder errorAfter(double audioSeconds, String description) {
            return at(
                    Fault.Trigger.afterAudio(audioSeconds),
                    new Fault.InBandError("INTERNAL_SERVER_ERROR", description, 1011, "NET-0000 internal error"));
        }

        /** Send a raw text frame (any text, JSON or not) after {@code audioSeconds} of audio; not terminal. */
        public Builder sendRawTextAfter(double audioSeconds, String text) {
            return at(Fault.Trigger.afterAudio(audioSeconds), Fault.SendRaw.text(text));
        }

        /** Send a raw binary frame after {@code audioSeconds} of audio; not terminal. */
        public Builder sendRawBinaryAfter(double audioSeconds, byte[] data) {
            return at(Fault.Trigger.afterAudio(audioSeconds), Fault.SendRaw.binary(data));
        }

        /** Delay every outbound message (and the server's close frame) by a fixed latency; order is preserved. */
        public Builder latency(Duration latency) {
            Objects.requireNonNull(latency, "latency");
            if (latency.isNegative()) {
                throw new IllegalArgumentException("latency must not be negative");
            }
            this.latency = latency;
            return this;
        }

        public ConnectionScript build() {
            return new ConnectionScript(this);
        }
    }
}
