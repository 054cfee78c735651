package io.github.dgstream.emulator;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * What the emulator saw on one handshake attempt and, if it was accepted, on the WebSocket that followed. Filled in
 * live; thread-safe. Use {@link #awaitClosed(Duration)} before reading final totals.
 */
public final class RecordedConnection {
    /** Per connection, so a long session's keepalives and results cannot grow the emulator's memory without bound. */
    private static final int MAX_SENT_TYPES = 10_000;

    private static final int MAX_CONTROL_MESSAGES = 10_000;

    private final int index;
    private final String path;
    private final String requestUrl;
    private final Map<String, List<String>> queryParams;
    private final Map<String, List<String>> headers;
    private final String requestId;
    private final CountDownLatch closed = new CountDownLatch(1);

    private String credential;
    private String authScheme;
    private int upgradeStatus;
    private Refusal refusal;
    private long audioBytes;
    private double audioSeconds;
    private int pingsReceived;
    private final List<ControlMessage> controlMessages = new ArrayList<>();
    private final List<String> sentTypes = new ArrayList<>();
    private int messagesSent;
    private boolean halfOpen;
    private Integer closeCode;
    private String closeReason;
    private ClosedBy closedBy;

    RecordedConnection(
            int index,
            String path,
            String requestUrl,
            Map<String, List<String>> queryParams,
            Map<String, List<String>> headers,
            String requestId) {
        this.index = index;
        this.path = path;
        this.requestUrl = requestUrl;
        Map<String, List<String>> q = new LinkedHashMap<>();
        queryParams.forEach((k, v) -> q.put(k, List.copyOf(v)));
        this.queryParams = Collections.unmodifiableMap(q);
        Map<String, List<String>> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> h.merge(k, List.copyOf(v), (a, b) -> {
            List<String> all = new ArrayList<>(a);
            all.addAll(b);
            return List.copyOf(all);
        }));
        this.headers = Collections.unmodifiableMap(h);
        this.requestId = requestId;
    }

    /** 0-based index of this handshake attempt on the emulator (refused attempts count). */
    public int index() {
        return index;
    }

    /** {@code /v1/listen} or {@code /v2/listen}. */
    public String path() {
        return path;
    }

    public boolean isFlux() {
        return path.startsWith("/v2/");
    }

    /** The request URI (path and query) as received. */
    public String requestUrl() {
        return requestUrl;
    }

    /** Decoded query parameters in arrival order; repeated keys keep every value. */
    public Map<String, List<String>> queryParams() {
        return queryParams;
    }

    /** The first value of a query parameter. */
    public Optional<String> queryParam(String name) {
        List<String> v = queryParams.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** Request headers (case-insensitive keys), unmasked. Prefer {@link #credential()} for the credential. */
    public Map<String, List<String>> headers() {
        return headers;
    }

    public Optional<String> header(String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v.get(0));
    }

    /** The {@code dg-request-id} the emulator assigned (also in messages). */
    public String requestId() {
        return requestId;
    }

    /** The raw credential (API key or JWT) the client presented, if any. Never printed by {@link #toString()}. */
    public synchronized Optional<String> credential() {
        return Optional.ofNullable(credential);
    }

    /** {@code token} or {@code bearer} (lowercase) if a credential was presented. */
    public synchronized Optional<String> authScheme() {
        return Optional.ofNullable(authScheme);
    }

    /** 101 when upgraded, else the refusal status (0 while the handshake is being decided). */
    public synchronized int upgradeStatus() {
        return upgradeStatus;
    }

    public synchronized Optional<Refusal> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** Audio bytes received (binary frames; a WAV header counts). */
    public synchronized long audioBytes() {
        return audioBytes;
    }

    /** Seconds of audio received (decodable data bytes ÷ byte rate). */
    public synchronized double audioSeconds() {
        return audioSeconds;
    }

    public synchronized int pingsReceived() {
        return pingsReceived;
    }

    /** Text messages received, in order, each with the audio time at arrival (the first 10,000). */
    public synchronized List<ControlMessage> controlMessages() {
        return List.copyOf(controlMessages);
    }

    /** The {@code type} of each control message received, in order (the first 10,000). */
    public synchronized List<String> controlTypes() {
        return controlMessages.stream().map(ControlMessage::type).toList();
    }

    /** Number of text messages the emulator sent (after any latency). */
    public synchronized int messagesSent() {
        return messagesSent;
    }

    /** The {@code type} of each message sent, in order (first 10,000). */
    public synchronized List<String> sentTypes() {
        return List.copyOf(sentTypes);
    }

    /** True once a half-open fault fired. */
    public synchronized boolean isHalfOpen() {
        return halfOpen;
    }

    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    /**
     * The close code: what the emulator sent when {@link #closedBy()} is {@code SERVER}, what the client sent when it
     * is {@code CLIENT}, 1006 for {@code DROPPED} / {@code ABNORMAL}; empty while open or when refused.
     */
    public synchronized Optional<Integer> closeCode() {
        return Optional.ofNullable(closeCode);
    }

    public synchronized Optional<String> closeReason() {
        return Optional.ofNullable(closeReason);
    }

    public synchronized Optional<ClosedBy> closedBy() {
        return Optional.ofNullable(closedBy);
    }

    /** Waits until the connection ended (refused, closed, dropped). */
    public boolean awaitClosed(Duration timeout) throws InterruptedException {
        return closed.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    // ---- package-private mutators -------------------------------------------------------------------------------

    synchronized void credential(String scheme, String value) {
        this.authScheme = scheme;
        this.credential = value;
    }

    synchronized void upgraded() {
        this.upgradeStatus = 101;
    }

    void refused(Refusal r) {
        synchronized (this) {
            this.upgradeStatus = r.status();
            this.refusal = r;
            this.closedBy = ClosedBy.REFUSED;
        }
        closed.countDown();
    }

    synchronized void audio(long totalBytes, double seconds) {
        this.audioBytes = totalBytes;
        this.audioSeconds = seconds;
    }

    synchronized void ping() {
        pingsReceived++;
    }

    synchronized void control(ControlMessage m) {
        if (controlMessages.size() < MAX_CONTROL_MESSAGES) {
            controlMessages.add(m);
        }
    }

    synchronized void sent(String type) {
        messagesSent++;
        if (sentTypes.size() < MAX_SENT_TYPES) {
            sentTypes.add(type);
        }
    }

    synchronized void halfOpen() {
        this.halfOpen = true;
    }

    /** Records the end; the first call wins. */
    void ended(ClosedBy by, Integer code, String reason) {
        synchronized (this) {
            if (closedBy != null) {
                return;
            }
            this.closedBy = by;
            this.closeCode = code;
            this.closeReason = reason;
        }
        closed.countDown();
    }

    @Override
    public synchronized String toString() {
        Map<String, List<String>> masked = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((k, v) -> masked.put(
                k,
                k.equalsIgnoreCase("Authorization") || k.equalsIgnoreCase("Sec-WebSocket-Protocol")
                        ? List.of("***")
                        : v));
        return "RecordedConnection{index=" + index + ", path=" + path + ", query=" + queryParams + ", headers="
                + masked + ", upgradeStatus=" + upgradeStatus + ", requestId=" + requestId + ", audioBytes="
                + audioBytes + ", audioSeconds=" + audioSeconds + ", control=" + controlTypes() + ", messagesSent="
                + messagesSent + ", halfOpen=" + halfOpen + ", closedBy=" + closedBy + ", closeCode=" + closeCode
                + ", closeReason=" + closeReason + "}";
    }
}
