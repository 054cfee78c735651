package io.github.dgstream.cli;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Human output. On a terminal the bottom line is live: interim text updates in place, and files show a progress
 * bar; finals commit as lines and reconnection events appear as dim status lines. Off a terminal there is no
 * live line: finals and status lines only, so output piped to a file stays clean.
 */
final class HumanSink implements OutputSink {
    private static final String DIM = "\u001b[2m";
    private static final String RESET = "\u001b[0m";
    private static final String CLEAR_LINE = "\r\u001b[2K";

    private final PrintStream out;
    private final boolean terminal;
    private String interim = "";
    private String progressBar = "";
    private ProgressBars bar;

    HumanSink(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public synchronized void transcript(boolean isFinal, boolean speechFinal, double start, double end, String text) {
        if (!isFinal) {
            interim = text;
            redrawLiveLine();
            return;
        }
        interim = "";
        if (!text.isBlank()) {
            commit(String.format(Locale.ROOT, "[%7.2f - %7.2f] %s", start, end, text));
        } else {
            redrawLiveLine();
        }
    }

    @Override
    public synchronized void turn(String event, long turnIndex, double start, double end, String text) {
        if ("EndOfTurn".equals(event)) {
            interim = "";
            commit(String.format(Locale.ROOT, "[%7.2f - %7.2f] turn %d: %s", start, end, turnIndex, text));
        } else if ("EagerEndOfTurn".equals(event) || "TurnResumed".equals(event)) {
            status(event + " (turn " + turnIndex + ")");
        } else {
            interim = text;
            redrawLiveLine();
        }
    }

    @Override
    public void speechStarted(double timestamp) {
        // Too chatty for people; --json shows it.
    }

    @Override
    public void utteranceEnd(double lastWordEnd) {
        // Finals already show where utterances end; --json shows it.
    }

    @Override
    public void metadata(String requestId, double durationSeconds) {
        status(String.format(Locale.ROOT, "metadata: request %s, %.2f s of audio", requestId, durationSeconds));
    }

    @Override
    public void reconnecting(int attempt, long delayMs, String cause) {
        status("connection lost (" + cause + "); reconnecting in " + delayMs + " ms, attempt " + attempt);
    }

    @Override
    public void reconnected(int attempt, long downtimeMs, long replayedMs, long lostMs) {
        status(String.format(
                Locale.ROOT,
                "reconnected after %d ms (attempt %d), replayed %.2f s%s",
                downtimeMs,
                attempt,
                replayedMs / 1000.0,
                lostMs > 0 ? String.format(Locale.ROOT, ", lost %.2f s", lostMs / 1000.0) : ""));
    }

    @Override
    public void reconnectFailed(int attempts, String cause) {
        status("gave up after " + attempts + " reconnection attempts: " + cause);
    }

    @Override
    public void error(String message) {
        status("error: " + message);
    }

    @Override
    public synchronized void progress(double fraction) {
        if (!terminal) {
            return; // no bar when not attached to a terminal
        }
        if (bar == null) {
            bar = new ProgressBars(this::barRendered);
        }
        bar.update(fraction);
    }

    private synchronized void barRendered(String rendered) {
        if (bar != null && !rendered.equals(progressBar)) {
            progressBar = rendered;
            redrawLiveLine();
        }
    }

    @Override
    public void summary(String transcript, int connections, int reconnects, double audioSeconds) {
        stopProgress();
        synchronized (this) {
            printSummary(transcript, connections, reconnects, audioSeconds);
        }
    }

    /** Stops the bar's render timer; closed outside the lock because the timer thread renders under it. */
    void stopProgress() {
        ProgressBars finished;
        synchronized (this) {
            finished = bar;
            bar = null; // renders that race with close() are ignored
        }
        if (finished != null) {
            finished.close();
        }
    }

    private void printSummary(String transcript, int connections, int reconnects, double audioSeconds) {
        progressBar = "";
        interim = "";
        clearLiveLine();
        out.printf(
                Locale.ROOT,
                "%n%.2f s of audio, %d connection%s, %d reconnect%s%n",
                audioSeconds,
                connections,
                connections == 1 ? "" : "s",
                reconnects,
                reconnects == 1 ? "" : "s");
        out.println("Transcript: " + transcript);
        out.flush();
    }

    private synchronized void status(String line) {
        commit(terminal ? DIM + "  ~ " + line + RESET : "  ~ " + line);
    }

    private void commit(String line) {
        clearLiveLine();
        out.println(line);
        redrawLiveLine();
    }

    private void clearLiveLine() {
        if (terminal) {
            out.print(CLEAR_LINE);
        }
    }

    private void redrawLiveLine() {
        if (!terminal) {
            return;
        }
        StringBuilder line = new StringBuilder(CLEAR_LINE);
        if (!progressBar.isEmpty()) {
            line.append(progressBar).append(' ');
        }
        if (!interim.isEmpty()) {
            line.append(DIM).append(interim).append(RESET);
        }
        out.print(line);
        out.flush();
    }
}
