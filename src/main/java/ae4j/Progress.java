package ae4j;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars for long work (downloads, epochs, t-SNE), drawn on stderr with ETA, and only when stderr is a
 * terminal: logs and pipes get no carriage-return noise. A quiet bar accepts the same calls and draws nothing.
 */
public final class Progress implements AutoCloseable {
    private final ProgressBar bar;

    private Progress(ProgressBar bar) {
        this.bar = bar;
    }

    /** True when a person is watching: a console is attached and {@code AE4J_NO_PROGRESS} is not set. */
    public static boolean interactive() {
        return System.console() != null && System.getenv("AE4J_NO_PROGRESS") == null;
    }

    /** A bar that draws nothing. */
    public static Progress quiet() {
        return new Progress(null);
    }

    public static Progress start(String task, long total, String unit, long unitSize) {
        if (!interactive()) {
            return new Progress(null);
        }
        PrintStream err = System.err;
        ProgressBar bar = new ProgressBarBuilder()
                .setTaskName(task)
                .setInitialMax(total)
                .setUnit(unit, unitSize)
                .setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(200)
                .setConsumer(new ConsoleProgressBarConsumer(err))
                .showSpeed()
                .build();
        return new Progress(bar);
    }

    public static Progress start(String task, long total) {
        return start(task, total, "", 1);
    }

    public void stepBy(long n) {
        if (bar != null) {
            bar.stepBy(n);
        }
    }

    public void stepTo(long n) {
        if (bar != null) {
            bar.stepTo(n);
        }
    }

    public void message(String extra) {
        if (bar != null) {
            bar.setExtraMessage(extra);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
