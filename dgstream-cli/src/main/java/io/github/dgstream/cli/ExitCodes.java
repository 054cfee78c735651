package io.github.dgstream.cli;

/** Process exit codes of the tool. */
final class ExitCodes {
    static final int OK = 0;
    /** The stream ended in an error (fatal Deepgram error, retries exhausted). */
    static final int STREAM_FAILED = 1;
    /** Bad arguments or options. */
    static final int USAGE = 2;
    /** Input could not be read (missing file, no microphone, unsupported format). */
    static final int INPUT = 3;

    private ExitCodes() {}
}
