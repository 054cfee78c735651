package io.github.dgstream.cli;

import io.github.dgstream.emulator.ConnectionScript;
import io.github.dgstream.emulator.DeepgramEmulator;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code dgstream transcribe}: streams a file or the microphone and prints transcripts live. */
@Command(
        name = "transcribe",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Stream FILE (or --mic) and print transcripts as they arrive.",
            "Target: --url if given; else real Deepgram when DEEPGRAM_API_KEY is set; else an embedded emulator."
        })
final class TranscribeCommand implements Callable<Integer> {
    /** Environment lookup; tests replace it so that a developer's real key never sends test audio to Deepgram. */
    static Function<String, String> environment = System::getenv;

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "FILE",
            description = "A WAV file, or raw audio with --encoding and --sample-rate.")
    Path file;

    @Option(names = "--mic", description = "Stream the default microphone instead of a file (Ctrl-C to stop).")
    boolean mic;

    @Option(
            names = "--api",
            defaultValue = "v1",
            paramLabel = "v1|flux",
            description = "v1 (/v1/listen, Nova) or flux (/v2/listen). Default: ${DEFAULT-VALUE}.")
    String api;

    @Option(
            names = "--url",
            paramLabel = "URL",
            description = "Any Deepgram-compatible endpoint, e.g. ws://127.0.0.1:8080.")
    URI url;

    @Option(
            names = "--model",
            paramLabel = "NAME",
            description = "Model (default: nova-3 for v1, flux-general-en for flux).")
    String model;

    @Option(names = "--language", paramLabel = "CODE", description = "v1 language, e.g. en, multi.")
    String language;

    @Option(
            names = "--encoding",
            paramLabel = "ENC",
            description = "Raw input encoding: linear16, linear32, mulaw, alaw (WAV files use their own).")
    String encoding;

    @Option(
            names = "--sample-rate",
            paramLabel = "HZ",
            description = "Raw input sample rate (WAV files use their own).")
    Integer sampleRate;

    @Option(
            names = "--channels",
            defaultValue = "1",
            paramLabel = "N",
            description = "Raw input channels. Default: ${DEFAULT-VALUE}.")
    int channels;

    @Option(
            names = "--interim-results",
            negatable = true,
            defaultValue = "true",
            fallbackValue = "true",
            description = "v1: request interim results (default on; --no-interim-results to disable).")
    boolean interimResults;

    @Option(
            names = "--endpointing",
            defaultValue = "300",
            paramLabel = "MS",
            description = "v1 endpointing in ms. Default: ${DEFAULT-VALUE}.")
    int endpointingMs;

    @Option(names = "--utterance-end-ms", paramLabel = "MS", description = "v1: send UtteranceEnd after this gap.")
    Integer utteranceEndMs;

    @Option(names = "--vad-events", description = "v1: send SpeechStarted events.")
    boolean vadEvents;

    @Option(names = "--punctuate", description = "v1: punctuate and capitalise.")
    boolean punctuate;

    @Option(names = "--smart-format", description = "v1: smart formatting.")
    boolean smartFormat;

    @Option(names = "--diarize", description = "v1: speaker labels.")
    boolean diarize;

    @Option(names = "--keyterm", paramLabel = "TERM", description = "Key term to boost (repeatable).")
    List<String> keyterms = new ArrayList<>();

    @Option(names = "--eot-threshold", paramLabel = "X", description = "flux: end-of-turn confidence threshold.")
    Double eotThreshold;

    @Option(
            names = "--eager-eot-threshold",
            paramLabel = "X",
            description = "flux: enables EagerEndOfTurn/TurnResumed.")
    Double eagerEotThreshold;

    @Option(names = "--eot-timeout-ms", paramLabel = "MS", description = "flux: end the turn this long after speech.")
    Integer eotTimeoutMs;

    @Option(
            names = "--pace",
            paramLabel = "realtime|fast|FACTOR",
            description =
                    "Send speed (default: fast against the embedded emulator, realtime otherwise and for the mic).")
    String pace;

    @Option(
            names = "--chunk-ms",
            defaultValue = "100",
            paramLabel = "MS",
            description = "Audio per message in ms. Default: ${DEFAULT-VALUE}.")
    int chunkMs;

    @Option(names = "--no-reconnect", description = "Do not reconnect when the connection drops.")
    boolean noReconnect;

    @Option(names = "--json", description = "One JSON object per line on stdout, nothing else.")
    boolean json;

    @Option(
            names = "--simulate-drop",
            split = ",",
            paramLabel = "T1[,T2...]",
            description =
                    "Embedded emulator only: the k-th connection is dropped after it has received T_k seconds of audio.")
    List<Double> simulateDrops = new ArrayList<>();

    @Option(
            names = "--drop-mode",
            defaultValue = "close",
            paramLabel = "close|abrupt|halfopen",
            description =
                    "How --simulate-drop drops: a 1011 close frame, TCP closed with no close frame, or a socket that goes silent. Default: ${DEFAULT-VALUE}.")
    String dropMode;

    @Override
    public Integer call() throws Exception {
        validate();
        try (AudioSource source = openSource()) {
            OutputSink sink =
                    json ? new JsonLinesSink(System.out) : new HumanSink(System.out, System.console() != null);
            StreamRun run = "flux".equals(api) ? new FluxRun(this, sink) : new V1Run(this, sink);
            run.prepare(source.format()); // bad options fail here, before any connection or emulator
            try (Target target = Target.resolve(url, environment.apply("DEEPGRAM_API_KEY"), 10)) {
                if (!simulateDrops.isEmpty() && !target.embedded()) {
                    throw new CliException(
                            ExitCodes.USAGE,
                            "--simulate-drop works only with the embedded emulator (no --url, no DEEPGRAM_API_KEY)");
                }
                if (target.embedded()) {
                    System.err.println("dgstream: no DEEPGRAM_API_KEY set, using the embedded Deepgram emulator at "
                            + target.baseUrl() + " (it only understands audio made by 'dgstream encode')");
                    scriptDrops(target.emulator());
                }
                double factor = pace != null ? Pacer.parseFactor(pace) : (target.embedded() && !mic ? 0 : 1.0);
                return stream(source, target, run, sink, factor);
            }
        }
    }

    private int stream(AudioSource source, Target target, StreamRun run, OutputSink sink, double factor)
            throws IOException, InterruptedException {
        AudioSource.Format format = source.format();
        run.start(target, format, source.live() ? 0 : source.totalBytes());
        Pacer pacer = new Pacer(format.bytesPerSecond(), source.live() ? 0 : factor);
        int chunkBytes = Math.max(format.bytesPerFrame(), (int) (format.bytesPerSecond() * chunkMs / 1000.0));
        byte[] buffer = new byte[chunkBytes - chunkBytes % format.bytesPerFrame()];
        long sent = 0;
        try {
            int n;
            while (!run.ended() && (n = source.read(buffer)) > 0) {
                pacer.await(n);
                run.send(buffer, n);
                sent += n;
                if (source.totalBytes() > 0) {
                    sink.progress((double) sent / source.totalBytes());
                }
            }
        } finally {
            run.finish();
        }
        if (sink instanceof HumanSink human) {
            human.stopProgress();
        }
        sink.summary(run.transcript(), run.connections(), run.reconnects(), sent / format.bytesPerSecond());
        return run.failed() ? ExitCodes.STREAM_FAILED : ExitCodes.OK;
    }

    private void validate() {
        if (mic == (file != null)) {
            throw new CliException(
                    ExitCodes.USAGE, mic ? "give FILE or --mic, not both" : "give FILE to stream, or --mic");
        }
        if (!"v1".equals(api) && !"flux".equals(api)) {
            throw new CliException(ExitCodes.USAGE, "--api must be v1 or flux, not '" + api + "'");
        }
        if (chunkMs < 10 || chunkMs > 1000) {
            throw new CliException(ExitCodes.USAGE, "--chunk-ms must be between 10 and 1000");
        }
        if (!List.of("close", "abrupt", "halfopen").contains(dropMode)) {
            throw new CliException(
                    ExitCodes.USAGE, "--drop-mode must be close, abrupt or halfopen, not '" + dropMode + "'");
        }
        for (double t : simulateDrops) {
            if (!(t > 0) || !Double.isFinite(t)) {
                throw new CliException(ExitCodes.USAGE, "--simulate-drop times must be positive seconds");
            }
        }
        if (pace != null) {
            Pacer.parseFactor(pace);
        }
        if (channels < 1 || channels > 8) {
            throw new CliException(ExitCodes.USAGE, "--channels must be between 1 and 8");
        }
    }

    private AudioSource openSource() {
        if (mic) {
            return AudioSource.microphone();
        }
        if (encoding != null || sampleRate != null) {
            if (encoding == null || sampleRate == null) {
                throw new CliException(ExitCodes.USAGE, "raw audio needs both --encoding and --sample-rate");
            }
            if (sampleRate <= 0) {
                throw new CliException(ExitCodes.USAGE, "--sample-rate must be positive");
            }
            return AudioSource.raw(file, encoding, sampleRate, channels);
        }
        return AudioSource.wav(file);
    }

    private void scriptDrops(DeepgramEmulator emulator) {
        for (int k = 0; k < simulateDrops.size(); k++) {
            double t = simulateDrops.get(k);
            ConnectionScript script = switch (dropMode) {
                case "abrupt" -> ConnectionScript.dropAfter(t);
                case "halfopen" -> ConnectionScript.halfOpenAfter(t);
                default -> ConnectionScript.closeAfter(t, 1011, "NET-0000 simulated drop (dgstream --simulate-drop)");
            };
            emulator.script(k, script);
        }
    }
}
