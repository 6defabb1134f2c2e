package ae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code ae4j train} of the chapter's later models, on the embedded sample: each writes its model, a history.json
 * of the common schema (with the coding layer's activity for the sparse ones), its learning curves and its own
 * figures, prints the book's numbers beside its own, and its model file works with the other commands.
 */
class LaterRecipesTest {
    @TempDir
    Path dir;

    static void assertPicture(Path png) throws IOException {
        assertTrue(Files.size(png) > 1000, png + " exists");
        assertTrue(ImageIO.read(png.toFile()).getWidth() > 200, png + " is a picture");
    }

    @ParameterizedTest
    @ValueSource(strings = {"denoising-gaussian", "denoising-dropout", "sigmoid-coding", "sparse-l1", "sparse-kl", "variational"})
    void trainsFromTheCommandLineWithItsFigures(String model) throws IOException {
        Path out = dir.resolve(model);
        Cli.Result r = Cli.run("train", model, "--epochs", "1", "--out", out.toString()).assertOk();
        assertTrue(r.out().contains("book 1") && r.out().contains("(Keras) "), "the book's numbers beside ours: " + r.out());
        JsonNode history = new ObjectMapper().readTree(out.resolve("history.json").toFile());
        assertEquals(model, history.get("model").asText());
        assertEquals(model.equals("variational") ? 128 : 32, history.get("batch_size").asInt(), "the book's batch size");
        assertEquals(model.equals("variational") ? "rmsprop" : "sgd", history.get("optimizer").get("type").asText());
        JsonNode epoch = history.get("epochs").get(0);
        for (String field : List.of("loss", "val_loss", "rounded_accuracy", "val_rounded_accuracy", "seconds")) {
            assertTrue(epoch.get(field).isNumber(), field);
        }
        assertTrue(Files.size(out.resolve("model.zip")) > 1000);
        assertPicture(out.resolve("learning_curves.png"));
        assertPicture(out.resolve("reconstructions.png"));
        boolean sparse = List.of("sigmoid-coding", "sparse-l1", "sparse-kl").contains(model);
        assertEquals(sparse, history.has("codings"), "the coding layer's activity for the sparse recipes");
        if (sparse) {
            JsonNode codings = history.get("codings");
            assertEquals(model.equals("sigmoid-coding") ? 30 : 300, codings.get("units").asInt());
            double shares = 0;
            for (JsonNode share : codings.get("activation_shares")) {
                shares += share.asDouble();
            }
            assertEquals(1, shares, 1e-9, "the histogram covers every activation");
            assertTrue(codings.get("mean_activation").asDouble() > 0 && codings.get("mean_activation").asDouble() < 1);
            assertPicture(out.resolve("activations.png"));
            assertTrue(r.out().contains("Coding layer on the 200 validation images"), r.out());
        }
        if (model.equals("variational")) {
            assertPicture(out.resolve("generated.png"));
            assertPicture(out.resolve("interpolation.png"));
        }
    }

    @Test
    void aVariationalModelFileWorksWithReconstructAndResume() throws IOException {
        Path out = dir.resolve("vae");
        Cli.run("train", "variational", "--epochs", "1", "--out", out.toString()).assertOk();
        Cli.run("reconstruct", "--model", out.resolve("model.zip").toString(), "--out", dir.resolve("r.png").toString()).assertOk();
        assertPicture(dir.resolve("r.png"));
        Cli.Result resumed = Cli.run("train", "variational", "--epochs", "2", "--out", out.toString(), "--resume").assertOk();
        assertTrue(resumed.out().contains("after epoch 1"), resumed.out());
        assertEquals(2, new ObjectMapper().readTree(out.resolve("history.json").toFile()).get("epochs").size());
    }
}
