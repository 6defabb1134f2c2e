package ae4j;

import java.io.PrintStream;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars for long work (downloads, epochs, t-SNE), drawn on stderr with ETA, and only when stderr is a
 * terminal: logs and pipes get no carriage-return noise. A quiet bar accepts the same calls and draws nothing.
 * The progressbar library is an optional dependency (the command line's): where a project that uses ae4j as a
 * library leaves it out, every bar is quiet, and only {@link Drawn} ever names its classes.
 */
public final class Progress implements AutoCloseable {
    private static final boolean LIBRARY_PRESENT = libraryPresent();

    private final Drawn bar;

    private Progress(Drawn bar) {
        this.bar = bar;
    }

    /**
     * True when a person is watching and a bar can be drawn: a console is attached, {@code AE4J_NO_PROGRESS} is
     * not set and the progressbar library is on the classpath.
     */
    public static boolean interactive() {
        return LIBRARY_PRESENT && System.console() != null && System.getenv("AE4J_NO_PROGRESS") == null;
    }

    /** A bar that draws nothing. */
    public static Progress quiet() {
        return new Progress(null);
    }

    public static Progress start(String task, long total, String unit, long unitSize) {
        return new Progress(interactive() ? new Drawn(task, total, unit, unitSize) : null);
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
            bar.message(extra);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }

    private static boolean libraryPresent() {
        try {
            Class.forName("me.tongfei.progressbar.ProgressBar", false, Progress.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** A drawn bar; a class of its own so that loading Progress never loads the progressbar library. */
    private static final class Drawn {
        private final ProgressBar bar;

        Drawn(String task, long total, String unit, long unitSize) {
            PrintStream err = System.err;
            bar = new ProgressBarBuilder()
                    .setTaskName(task)
                    .setInitialMax(total)
                    .setUnit(unit, unitSize)
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUpdateIntervalMillis(200)
                    .setConsumer(new ConsoleProgressBarConsumer(err))
                    .showSpeed()
                    .build();
        }

        void stepBy(long n) {
            bar.stepBy(n);
        }

        void stepTo(long n) {
            bar.stepTo(n);
        }

        void message(String extra) {
            bar.setExtraMessage(extra);
        }

        void close() {
            bar.close();
        }
    }
}
