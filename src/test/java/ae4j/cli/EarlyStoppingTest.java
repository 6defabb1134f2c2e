package ae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --early-stopping N} ends a model's training once its val_loss has not improved for N epochs, saves
 * the epoch it stopped after, and a resumed run counts the saved epochs: it stays stopped with the same patience
 * and trains on without it.
 */
class EarlyStoppingTest {
    @TempDir
    Path dir;

    @Test
    void aRunWhoseValLossStopsImprovingStopsEarlyAndStaysStopped() throws IOException {
        // So small a learning rate that no weight moves: every epoch's val_loss is the first one's, never an improvement.
        Path out = dir.resolve("stacked");
        String[] train = {"train", "stacked", "--epochs", "5", "--lr", "1e-30", "--out", out.toString()};
        Cli.Result stopped = Cli.run(ResumeTest.concat(train, "--early-stopping", "2")).assertOk();
        assertEquals(1, stopped.out().lines().filter(l -> l.startsWith("Early stopping model after epoch 3 of 5")).count(), stopped.out());
        assertEquals(3, ResumeTest.history(out).get("epochs").size());
        assertEquals(3, ResumeTest.epochsIn(out.resolve("model.zip")), "model.zip holds the epoch it stopped after");

        Cli.Result resumed = Cli.run(ResumeTest.concat(train, "--early-stopping", "2", "--resume")).assertOk();
        assertTrue(resumed.out().contains("Early stopping model after epoch 3 of 5"), resumed.out());
        assertEquals(3, ResumeTest.epochsIn(out.resolve("model.zip")), "the same patience: nothing more to train");

        Cli.run(ResumeTest.concat(train, "--resume")).assertOk();
        assertEquals(5, ResumeTest.epochsIn(out.resolve("model.zip")), "without early stopping it trains on to --epochs");
        assertEquals(5, ResumeTest.history(out).get("epochs").size());
    }
}
