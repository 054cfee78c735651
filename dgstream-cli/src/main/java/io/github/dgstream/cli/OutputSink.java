package io.github.dgstream.cli;

/**
 * Where {@code transcribe} reports what happens. Times are session-relative seconds. Calls come from one thread
 * at a time (the library delivers events serially), but not necessarily the main thread.
 */
interface OutputSink {
    void transcript(boolean isFinal, boolean speechFinal, double start, double end, String text);

    void turn(String event, long turnIndex, double start, double end, String text);

    void speechStarted(double timestamp);

    void utteranceEnd(double lastWordEnd);

    void metadata(String requestId, double durationSeconds);

    void reconnecting(int attempt, long delayMs, String cause);

    void reconnected(int attempt, long downtimeMs, long replayedMs, long lostMs);

    void reconnectFailed(int attempts, String cause);

    void error(String message);

    /** Progress through a file, 0..1; called often, only meaningful for a terminal. */
    void progress(double fraction);

    void summary(String transcript, int connections, int reconnects, double audioSeconds);
}
