package io.github.dgstream.cli;

import java.util.function.Consumer;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A file progress bar rendered to a string (not to the console), so it can share the live terminal line with
 * interim text. The library re-renders on its own timer and hands each rendering to {@code onRender}.
 */
final class ProgressBars implements AutoCloseable {
    private static final int STEPS = 1000;
    private final ProgressBar bar;

    ProgressBars(Consumer<String> onRender) {
        bar = new ProgressBarBuilder()
                .setTaskName("audio")
                .setInitialMax(STEPS)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .setMaxRenderedLength(50)
                .hideEta()
                .setConsumer(new DelegatingProgressBarConsumer(s -> onRender.accept(s.trim()), 50))
                .build();
    }

    void update(double fraction) {
        bar.stepTo(Math.round(Math.max(0, Math.min(1, fraction)) * STEPS));
    }

    @Override
    public void close() {
        bar.close();
    }
}
