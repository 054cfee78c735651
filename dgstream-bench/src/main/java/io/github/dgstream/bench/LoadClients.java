package io.github.dgstream.bench;

import io.github.dgstream.FluxOptions;
import io.github.dgstream.LiveOptions;
import io.github.dgstream.LivenessConfig;
import io.github.dgstream.ReconnectionConfig;
import io.github.dgstream.emulator.TestCertificates;
import io.github.dgstream.internal.ClientResources;
import io.github.dgstream.internal.EngineHooks;
import io.github.dgstream.internal.FluxAdapter;
import io.github.dgstream.internal.JdkTransport;
import io.github.dgstream.internal.ProtocolAdapter;
import io.github.dgstream.internal.Transport;
import io.github.dgstream.internal.V1Adapter;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

/** A worker's N streams for its mode ({@code engine}, {@code bare}, {@code bare-handoff}), API and scheme. */
final class LoadClients implements AutoCloseable {
    final List<LoadStream> streams;
    /** The engine's shared resources; null in the bare modes. */
    private final ClientResources resources;

    private LoadClients(List<LoadStream> streams, ClientResources resources) {
        this.streams = streams;
        this.resources = resources;
    }

    static LoadClients create(
            Map<String, String> opt,
            String mode,
            String api,
            int n,
            URI base,
            String encoding,
            SpeechScript script,
            StreamRecorder recorder)
            throws Exception {
        // --api v1|flux: /v1/listen (Nova, Results) or /v2/listen (Flux, TurnInfo); the same audio either way
        boolean flux = api.equals("flux");
        // --trust FILE.p12: the emulator serves wss:// with this self-signed certificate (LoadHarness --tls)
        SSLContext ssl = opt.containsKey("trust")
                ? TestCertificates.trusting(TestCertificates.load(Path.of(opt.get("trust")), LoadHarness.TLS_PASSWORD))
                : null;
        List<LoadStream> streams = new ArrayList<>(n);
        if (mode.equals("engine")) {
            // --engine-http-threads K|inline: the engine's HttpClient executor size instead of the library's default,
            // or no executor (the JDK's selector thread runs everything)
            // --received-stamps: the latency is also read where the JDK hands a message to the engine (costs a string
            // search per message, so it is off by default)
            // --recovery-stamps: each reconnect is also timed in parts (RecoveryStamping)
            boolean receivedStamps = opt.containsKey("received-stamps");
            boolean recoveryStamps = opt.containsKey("recovery-stamps");
            DeferredTransport transport = receivedStamps || recoveryStamps ? new DeferredTransport() : null;
            ClientResources res = new ClientResources(
                    transport != null ? EngineHooks.NONE.withTransport(transport) : EngineHooks.NONE,
                    ssl,
                    opt.getOrDefault("engine-http-threads", "0").equals("inline")
                            ? ClientResources.HTTP_INLINE
                            : Integer.parseInt(opt.getOrDefault("engine-http-threads", "0")));
            if (transport != null) {
                // the JDK transport needs the resources' HttpClient, so the chain is set after they exist
                Transport t = new JdkTransport(res.httpClient());
                if (receivedStamps) {
                    t = new ReceiveStamping(recorder, t);
                }
                if (recoveryStamps) {
                    recorder.recoveryStamping = new RecoveryStamping(recorder, t);
                    t = recorder.recoveryStamping;
                }
                transport.delegateTo(t);
            }
            LiveOptions live = LiveOptions.builder()
                    .model("nova-3")
                    .encoding(encoding)
                    .sampleRate(8000)
                    .build();
            FluxOptions fluxOptions = FluxOptions.builder()
                    .model("flux-general-en")
                    .encoding(encoding)
                    .sampleRate(8000)
                    .build();
            ReconnectionConfig rc = ReconnectionConfig.builder().enabled(true).build();
            LivenessConfig lc = LivenessConfig.defaults();
            for (int i = 0; i < n; i++) {
                ProtocolAdapter adapter = flux ? new FluxAdapter(fluxOptions) : new V1Adapter(live);
                streams.add(new EngineStream(i, new StreamStats(script), res, base, adapter, rc, lc, recorder));
            }
            return new LoadClients(streams, res);
        }
        // --http-threads K: a bounded but never-rejecting executor (K threads, unbounded queue) instead of the JDK
        // default (a cached pool that grows a thread whenever all are busy)
        int k = Integer.parseInt(opt.getOrDefault("http-threads", "0"));
        HttpClient.Builder hb = HttpClient.newBuilder();
        if (k > 0) {
            hb.executor(Executors.newFixedThreadPool(k, r -> {
                Thread t = new Thread(r, "HttpClient-fixed-worker");
                t.setDaemon(true);
                return t;
            }));
        }
        if (ssl != null) {
            hb.sslContext(ssl);
        }
        HttpClient http = hb.build();
        URI uri = URI.create(base
                + (flux ? "/v2/listen?model=flux-general-en" : "/v1/listen?model=nova-3")
                + "&encoding=" + encoding + "&sample_rate=8000");
        Executor handoff = mode.equals("bare-handoff") ? handoffPool() : null;
        for (int i = 0; i < n; i++) {
            streams.add(new BareStream(i, new StreamStats(script), http, uri, flux, recorder, handoff));
        }
        return new LoadClients(streams, null);
    }

    /**
     * The {@code bare-handoff} handler pool: the shape and size of dgstream's handler pool (fixed, max(2, min(8,
     * cpus)) threads, unbounded queue, idle threads exit), so that the mode differs from the engine only by what the
     * engine does.
     */
    private static Executor handoffPool() {
        int size = Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
        AtomicInteger seq = new AtomicInteger();
        ThreadPoolExecutor pool =
                new ThreadPoolExecutor(size, size, 5, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, "bare-handoff-" + seq.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true); // as dgstream's pools: idle threads exit after 5 s
        return pool;
    }

    /** Stops the engine's pools (the bare modes' JDK client has nothing to close on JDK 17). */
    @Override
    public void close() {
        if (resources != null) {
            resources.close();
        }
    }
}
