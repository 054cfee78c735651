package io.github.dgstream.internal;

import io.github.dgstream.DeepgramException;
import io.github.dgstream.ReconnectionConfig;
import java.util.function.DoubleSupplier;

/**
 * The reconnect decisions of one session: the attempt counter (reset by a healthy period or, for Flux, by
 * progress), the start of the current outage, the one token refresh after a 401, and the backoff delay of the next
 * attempt. Pure bookkeeping, confined to the session actor; the engine acts on the {@link Verdict}.
 */
final class RetryBudget {
    enum Verdict {
        /** Handshake 401 with a token provider not yet asked again: re-dial at once. */
        REFRESH_AUTH,
        /** Not retryable, reconnection disabled, or the attempts are used up: the session fails. */
        FAIL,
        /** Reconnect after {@link #delayMs()}, as attempt {@link #attempt()}. */
        RETRY
    }

    private final ReconnectionConfig rc;
    private final boolean refreshableCredentials;
    private final Clock clock;
    private final DoubleSupplier random;
    private int attempt;
    private long outageStart = -1;
    private boolean authRefreshUsed;
    private long delayMs;

    RetryBudget(ReconnectionConfig rc, boolean refreshableCredentials, Clock clock, DoubleSupplier random) {
        this.rc = rc;
        this.refreshableCredentials = refreshableCredentials;
        this.clock = clock;
        this.random = random;
    }

    /** Whether a loss with {@code cause} may be retried at all (ignoring the attempt count). */
    boolean retryable(DeepgramException cause) {
        return cause.httpStatus() != 401 && cause.isRetryable() && rc.enabled();
    }

    /**
     * A connection was lost (or could not be opened); {@code wasHealthy}: it had a healthy period; {@code lostAt}:
     * the loss's first sign (nanoTime), which starts the outage unless one is already running.
     */
    Verdict onLoss(DeepgramException cause, boolean wasHealthy, long lostAt) {
        if (cause.httpStatus() == 401) {
            if (refreshableCredentials && !authRefreshUsed) {
                authRefreshUsed = true;
                return Verdict.REFRESH_AUTH;
            }
            return Verdict.FAIL;
        }
        if (!cause.isRetryable() || !rc.enabled()) {
            return Verdict.FAIL;
        }
        if (outageStart < 0) {
            outageStart = lostAt;
        }
        if (wasHealthy) {
            attempt = 0;
        }
        attempt++;
        if (rc.maxRetries() > 0 && attempt > rc.maxRetries()) {
            attempt = rc.maxRetries();
            return Verdict.FAIL;
        }
        delayMs = Backoff.delayMs(rc, attempt, attempt == 1 && wasHealthy, random.getAsDouble());
        return Verdict.RETRY;
    }

    /**
     * Marks {@code c} healthy once the server said something and showed it alive (a message, a pong or a close frame)
     * at least the healthy period after the open; the next outage then starts from attempt 1 (and its first attempt is
     * immediate).
     * Measured to the last sign of life, not to now: a socket that died silently and was found dead by the liveness
     * checks seconds later was not up that long.
     */
    void checkHealthy(Connection c) {
        if (!c.healthy
                && c.open
                && c.messages > 0
                && c.lastAliveAt - c.openedAt
                        >= java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(rc.healthyPeriodMs())) {
            c.healthy = true;
            attempt = 0;
        }
    }

    /** Whether a retryable loss of {@code c} now would reconnect at once: reconnection is on and it was healthy. */
    boolean wouldRetryAtOnce(Connection c) {
        checkHealthy(c);
        return rc.enabled() && c.healthy;
    }

    /** Healthy period reached (or, for Flux, a completed turn): the next outage starts from attempt 1. */
    void resetAttempts() {
        attempt = 0;
    }

    /** A socket opened: the token may be refreshed again; returns the outage's length in nanoseconds (0 if none). */
    long opened() {
        authRefreshUsed = false;
        long downtime = outageStart < 0 ? 0 : clock.nanoTime() - outageStart;
        outageStart = -1;
        return downtime;
    }

    /** Whether a failure now ends a reconnect sequence ({@code ReconnectFailed}) rather than a plain error. */
    boolean inReconnectSequence() {
        return attempt > 0 && rc.enabled();
    }

    int attempt() {
        return attempt;
    }

    long delayMs() {
        return delayMs;
    }
}
