package io.github.dgstream.emulator;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The faults of one connection's script that have not fired yet: decides when each is due (on open, or once the
 * received audio reaches its time) and carries out its action through the connection's own actions (close, drop,
 * half-open, raw frame, in-band error). Kept apart so {@link EmulatorConnection} reads as the protocol's event
 * handling. Called under the connection's lock.
 */
final class ScriptedFaults {
    /** The connection's category, so a fault is logged among the connection's other events. */
    private static final Logger LOG = LoggerFactory.getLogger(EmulatorConnection.class);

    private final EmulatorConnection conn;
    private final List<Fault> pending;

    ScriptedFaults(EmulatorConnection conn, List<Fault> faults) {
        this.conn = conn;
        this.pending = new ArrayList<>(faults);
    }

    boolean anyOnOpen() {
        return pending.stream().anyMatch(f -> f.trigger() instanceof Fault.OnOpen);
    }

    /** Fires the on-open faults in script order; none after one has ended the connection. */
    void fireOnOpen() {
        for (Fault f : List.copyOf(pending)) {
            if (f.trigger() instanceof Fault.OnOpen && !conn.terminated()) {
                pending.remove(f);
                fire(f.action());
            }
        }
    }

    /** Fires the after-audio faults whose time the received audio has reached; none after one has ended it. */
    void fireDue() {
        AudioInput audio = conn.audio;
        if (audio.totalBytes() == 0) {
            return;
        }
        for (Fault f : List.copyOf(pending)) {
            if (conn.terminated()) {
                return;
            }
            if (f.trigger() instanceof Fault.AfterAudio a && audio.seconds() >= a.seconds()) {
                pending.remove(f);
                fire(f.action());
            }
        }
    }

    private void fire(Fault.Action action) {
        LOG.debug("connection {} fault {} at {} s of audio", conn.rec.index(), action, conn.audio.seconds());
        if (action instanceof Fault.Close c) {
            conn.close(c.code(), c.reason());
        } else if (action instanceof Fault.Drop) {
            conn.drop();
        } else if (action instanceof Fault.HalfOpen) {
            conn.halfOpen();
        } else if (action instanceof Fault.SendRaw r) {
            sendRaw(r);
        } else if (action instanceof Fault.InBandError e) {
            conn.sendFaultError(e);
            conn.close(e.closeCode(), e.closeReason());
        }
    }

    private void sendRaw(Fault.SendRaw r) {
        String text = r.text();
        byte[] binary = r.binary();
        conn.sendFrame("<raw>", (s, done) -> {
            if (text != null) {
                s.sendText(text, done);
            } else {
                s.sendBinary(ByteBuffer.wrap(binary), done);
            }
        });
    }
}
