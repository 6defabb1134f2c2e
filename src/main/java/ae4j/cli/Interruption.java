package ae4j.cli;

import ae4j.experiments.TrainRun;
import java.util.Optional;

/**
 * Ctrl-C during training: stops the run's saving (after a save in progress, so no file is left half-written) and
 * says in one line what is on disk and the command that continues from it.
 */
final class Interruption implements AutoCloseable {
    private final Thread hook;

    Interruption(TrainRun run, String continueCommand, String startCommand) {
        hook = new Thread(() -> {
            Optional<TrainRun.Saved> saved = run.stop();
            System.out.flush();
            System.err.println(saved.map(s -> String.format("ae4j: interrupted: %s and %s hold epoch %d of %d of %s; continue with: %s",
                            s.file(), s.file().resolveSibling("history.json"), s.epoch(), s.epochs(), s.phase(), continueCommand))
                    .orElse("ae4j: interrupted before the first epoch ended; nothing was saved; start again with: " + startCommand));
        }, "ae4j-interrupted");
        Runtime.getRuntime().addShutdownHook(hook);
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is shutting down: the hook is running and says what was kept
        }
    }
}
