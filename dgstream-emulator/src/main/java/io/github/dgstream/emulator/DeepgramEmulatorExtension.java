package io.github.dgstream.emulator;

import java.util.Objects;
import java.util.function.Supplier;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that owns a {@link DeepgramEmulator}'s lifecycle. Register it with {@code @RegisterExtension}:
 * on a {@code static} field the emulator is started before all tests of the class and closed after them; on an
 * instance field it is started before and closed after each test.
 *
 * <pre>{@code
 * @RegisterExtension
 * static DeepgramEmulatorExtension dg = new DeepgramEmulatorExtension();
 *
 * @Test
 * void reconnects() {
 *     dg.emulator().enqueue(ConnectionScript.dropAfter(2.0));
 *     client.connect(dg.baseUrl());
 * }
 * }</pre>
 */
public final class DeepgramEmulatorExtension
        implements BeforeAllCallback, AfterAllCallback, BeforeEachCallback, AfterEachCallback {
    private final Supplier<DeepgramEmulator> factory;
    private volatile DeepgramEmulator emulator;
    private volatile boolean perClass;

    /** An emulator with the defaults. */
    public DeepgramEmulatorExtension() {
        this(DeepgramEmulator.builder());
    }

    /** An emulator from this builder (started once per class or per test). */
    public DeepgramEmulatorExtension(DeepgramEmulator.Builder builder) {
        this(builder::start);
    }

    /** An emulator made by this factory, e.g. a user-built one. The extension closes it. */
    public DeepgramEmulatorExtension(Supplier<DeepgramEmulator> factory) {
        this.factory = Objects.requireNonNull(factory, "factory");
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        perClass = true;
        emulator = factory.get();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeEmulator();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!perClass) {
            emulator = factory.get();
        }
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!perClass) {
            closeEmulator();
        }
    }

    private void closeEmulator() {
        DeepgramEmulator e = emulator;
        if (e != null) {
            e.close();
        }
    }

    /** The running emulator (for scripting and recordings). */
    public DeepgramEmulator emulator() {
        DeepgramEmulator e = emulator;
        if (e == null) {
            throw new IllegalStateException("the emulator is not started (use the extension from a test)");
        }
        return e;
    }

    /** {@code ws://127.0.0.1:PORT}. */
    public String baseUrl() {
        return emulator().baseUrl();
    }

    public String listenUrl() {
        return emulator().listenUrl();
    }

    public String fluxUrl() {
        return emulator().fluxUrl();
    }
}
