package io.github.dgstream.internal;

import io.github.dgstream.ReplayPolicy;

/**
 * What the server has confirmed and what each new socket must replay: the watermark (end of the last final, in
 * session seconds), the loss and ack accounting across sockets, and journal trimming. Confined to the session actor.
 */
final class ReplayState {
    /** Where a new socket starts in the source, and what that means for the {@code Reconnected} event. */
    record Start(long from, long replayedBytes, long lostBytes, double fromSeconds) {}

    private final AudioJournal journal;
    private final Outbound out;
    private final ReplayPolicy policy;
    private final double rate;
    private double watermarkSec;
    private double lastFinalEndSec;
    private long lossAccountedUpTo;
    private long highestAckedPos;

    ReplayState(AudioJournal journal, Outbound out, ReplayPolicy policy, double rate) {
        this.journal = journal;
        this.out = out;
        this.policy = policy;
        this.rate = rate;
    }

    long watermarkPos() {
        return rate > 0 ? journal.alignDown(Math.round(watermarkSec * rate)) : 0;
    }

    double seconds(long bytes) {
        return rate > 0 ? bytes / rate : 0;
    }

    /** A final (or turn end) up to {@code sec}; returns whether the watermark moved (the journal may be trimmed). */
    boolean onWatermark(double sec) {
        lastFinalEndSec = Math.max(lastFinalEndSec, sec);
        if (sec > watermarkSec) {
            watermarkSec = sec;
            out.confirmedUpTo(watermarkPos());
            return true;
        }
        return false;
    }

    /** {@code c} is gone: what it got onto the wire counts for the next replay decision. */
    void lost(Connection c) {
        highestAckedPos = Math.max(highestAckedPos, c.ackedPos);
    }

    /** Positions {@code c} (just opened) at its replay start and gives it a timeline. */
    Start startSocket(Connection c) {
        long w = watermarkPos();
        long from = journal.alignDown(Outbound.replayFrom(policy, w, out.highestSentPos, highestAckedPos, rate));
        from = Math.min(Math.max(from, journal.start()), journal.end());
        long lost = Math.max(0, from - Math.max(w, lossAccountedUpTo));
        long replayed = Math.max(0, out.highestSentPos - from);
        lossAccountedUpTo = Math.max(lossAccountedUpTo, from);
        c.nextPos = from;
        c.ackedPos = from;
        c.timeline = rate > 0 ? SocketTimeline.bytes(rate) : SocketTimeline.offset(lastFinalEndSec);
        return new Start(from, replayed, lost, rate > 0 ? from / rate : lastFinalEndSec);
    }

    /** Drops journal audio that no replay can need any more while {@code c} is live. */
    void trim(Connection c) {
        if (c.open && rate > 0) {
            journal.trimBefore(Outbound.retainFrom(policy, watermarkPos(), c.ackedPos, rate));
        } else if (c.open) {
            journal.trimBefore(c.ackedPos);
        }
    }

    /**
     * Whether the server confirmed every byte passed to {@code send} (the watermark reached the end of the journal;
     * a trailing partial frame does not count). Without a byte rate there is no watermark: only "no audio at all".
     */
    boolean allAudioConfirmed() {
        long end = journal.alignDown(journal.end());
        return end == 0 || (rate > 0 && watermarkPos() >= end);
    }
}
