package io.github.dgstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dgstream.emulator.ConnectionScript;
import io.github.dgstream.emulator.DeepgramEmulator;
import io.github.dgstream.emulator.RecordedConnection;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Acceptance 5: the token provider is called per handshake; an expired token is refreshed after a 401. */
class TokenProviderTest {

    private Driver run(DeepgramEmulator dg, Driver.Kind kind, Supplier<String> provider) throws Exception {
        try (DeepgramClient c = DeepgramClient.builder()
                .accessTokenProvider(provider)
                .baseUrl(URI.create(dg.baseUrl()))
                .build()) {
            Driver d = Driver.create(kind, c);
            d.configure(RetryableFaultsTest.reconnection(), RetryableFaultsTest.liveness());
            d.start(Speech.options());
            d.stream(Speech.AUDIO, Speech.BYTES_PER_SECOND, 5);
            d.finish();
            assertThat(d.log.finalWordTexts()).isEqualTo(Speech.WORDS);
            return d;
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.Kind.class)
    void providerIsCalledOnEveryHandshake(Driver.Kind kind) throws Exception {
        try (DeepgramEmulator dg =
                DeepgramEmulator.builder().singleUseCredentials(true).start()) {
            dg.script(0, ConnectionScript.dropAfter(3.0));
            AtomicInteger calls = new AtomicInteger();
            Driver d = run(dg, kind, () -> "token-" + calls.incrementAndGet());
            assertThat(calls.get()).isEqualTo(2);
            List<RecordedConnection> conns = dg.connections();
            assertThat(conns).hasSize(2);
            assertThat(conns).extracting(RecordedConnection::upgradeStatus).containsExactly(101, 101);
            assertThat(conns.get(0).credential()).contains("token-1");
            assertThat(conns.get(1).credential()).contains("token-2");
            assertThat(conns.get(0).authScheme())
                    .hasValueSatisfying(s -> assertThat(s).isEqualToIgnoringCase("bearer"));
            assertThat(d.log.of(Reconnected.class)).hasSize(1);
        }
    }

    @ParameterizedTest
    @EnumSource(Driver.Kind.class)
    void expiredTokenIsRefreshedAfter401(Driver.Kind kind) throws Exception {
        try (DeepgramEmulator dg =
                DeepgramEmulator.builder().singleUseCredentials(true).start()) {
            dg.script(0, ConnectionScript.dropAfter(3.0));
            AtomicInteger calls = new AtomicInteger();
            // The provider hands out its cached token again (now used up = expired) until asked after a 401.
            Driver d = run(dg, kind, () -> calls.incrementAndGet() <= 2 ? "token-A" : "token-B");
            assertThat(calls.get()).isEqualTo(3);
            List<RecordedConnection> conns = dg.connections();
            assertThat(conns).extracting(RecordedConnection::upgradeStatus).containsExactly(101, 401, 101);
            assertThat(d.log.of(Reconnecting.class))
                    .extracting(Reconnecting::attempt)
                    .containsExactly(1);
            assertThat(d.log.of(Reconnected.class))
                    .extracting(Reconnected::attempt)
                    .containsExactly(1);
            assertThat(d.log.of(ErrorEvent.class)).isEmpty();
        }
    }
}
