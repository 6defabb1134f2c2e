package ae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ae4j.data.DataLocator;
import ae4j.data.DatasetSource;
import ae4j.data.FullDataset;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ae4j demo --quick} on what a new user has (the embedded sample) and, where installed, on the full dataset. */
class DemoTest {
    @TempDir
    Path dir;

    static String reportOf(Path out) throws IOException {
        String html = Files.readString(out.resolve("report.html"));
        assertTrue(html.split("data:image/png;base64,", -1).length - 1 >= 24, "every figure is embedded");
        assertTrue(html.contains("book (Keras)") && html.contains("Unsupervised pretraining"), "tables beside the book's numbers");
        assertTrue(html.contains("Denoising autoencoders") && html.contains("Sparse autoencoders") && html.contains("Variational autoencoder"),
                "a section for each later model");
        assertTrue(html.contains("the linear autoencoder performs PCA"), "the converged linear run meets PCA");
        for (String file : new String[]{"linear/linear_pca.png", "linear/converged.zip", "stacked/reconstructions.png", "stacked/tsne.png",
                "stacked/tsne.csv", "tied/reconstructions.png", "greedy/reconstructions.png", "pretraining.json", "stacked/history.json",
                "denoising-gaussian/reconstructions.png", "denoising-dropout/history.json", "sigmoid-coding/activations.png",
                "sparse-l1/activations.png", "sparse-kl/history.json", "variational/generated.png", "variational/interpolation.png",
                "variational/model.zip"}) {
            assertTrue(Files.size(out.resolve(file)) > 100, file);
        }
        return html;
    }

    /** The first line of the report's body: its heading. */
    static String firstLine(String html) {
        return html.substring(html.indexOf("<h1>") + 4, html.indexOf("</h1>"));
    }

    @Test
    void onABareMachineTheDemoRunsOnTheSampleAndSaysSoFirst() throws IOException {
        assumeTrue(System.getenv(DataLocator.ENV_VAR) == null, "$AE4J_DATA names a dataset in this environment");
        Path out = dir.resolve("demo");
        Cli.Result r = Cli.run("demo", "--quick", "--out", out.toString()).assertOk();
        assertTrue(r.err().contains("EMBEDDED SAMPLE"), "the loud warning: " + r.err());
        assertTrue(r.out().contains("on the embedded SAMPLE"), r.out());
        String html = reportOf(out);
        assertTrue(firstLine(html).startsWith(DemoReport.SAMPLE_WARNING), firstLine(html));

        ObjectMapper json = new ObjectMapper();
        JsonNode tsne = json.readTree(out.resolve("stacked/tsne.json").toFile());
        assertEquals(200, tsne.get("points").asInt(), "t-SNE of the sample's 200 validation images");
        assertEquals(201, Files.readAllLines(out.resolve("stacked/tsne.csv")).size(), "a header and a row per point");
        JsonNode pretraining = json.readTree(out.resolve("pretraining.json").toFile());
        assertEquals(500, pretraining.get("labels").asInt());
        assertEquals(600, pretraining.get("test_images").asInt(), "scored on the sample's test set");
        assertTrue(html.contains("on the 600 test images"), "the report names the test set it used");
    }

    @Test
    void onTheFullDatasetTheReportHasNoSampleWarning() throws IOException {
        DatasetSource full = FullDataset.assumePresent();
        Path out = dir.resolve("demo");
        Cli.run("demo", "--quick", "--out", out.toString(), "--data", full.directory().toString()).assertOk();
        String html = reportOf(out);
        assertFalse(html.contains("SAMPLE"), firstLine(html));
        assertEquals(1000, new ObjectMapper().readTree(out.resolve("stacked/tsne.json").toFile()).get("points").asInt());
        assertTrue(html.contains("on the 10,000 test images"));
    }
}
