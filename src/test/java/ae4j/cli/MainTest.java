package ae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.bench.BenchReport;
import ae4j.data.Synthetic3d;
import ae4j.data.TinyDataset;
import ae4j.experiments.Pca;
import ae4j.experiments.PcaComparison;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI's exit codes and messages: 0 ok, 2 bad input (one line, no stack trace), and what train and info write. */
class MainTest {
    @TempDir
    Path dir;

    @Test
    void helpAndVersion() {
        Cli.Result help = Cli.run("--help").assertOk();
        assertTrue(help.out().contains("info") && help.out().contains("--backend"), help.out());
        Cli.Result infoHelp = Cli.run("info", "--help").assertOk();
        assertTrue(infoHelp.out().contains("--json") && infoHelp.out().contains("--data"), infoHelp.out());
        String version = Cli.run("--version").assertOk().out();
        assertTrue(version.startsWith("ae4j ") && version.contains("build"), version);
        for (String command : new String[]{"info", "train", "demo", "bench", "curves", "export", "pretrain", "tsne", "reconstruct"}) {
            assertEquals(version, Cli.run(command, "--version").assertOk().out(), command + " --version");
        }
        assertEquals(version, Cli.run("bench", "compare", "--version").assertOk().out());
    }

    @Test
    void usageErrorsAreOneLine() {
        Cli.run("frobnicate").assertUsageError("frobnicate", "--help");
        Cli.run().assertUsageError("missing command");
        Cli.run("info", "--no-such-flag").assertUsageError("--no-such-flag", "ae4j info --help");
        Cli.run("train").assertUsageError("MODEL");
        Cli.run("train", "linear", "surplus").assertUsageError("surplus");
        Cli.run("train", "linear", "--epochs", "many").assertUsageError("many");
        Cli.run("train", "linear", "--seed", "x").assertUsageError("--seed");
        Cli.run("export").assertUsageError("--model");
        Cli.run("bench", "compare", "a.json").assertUsageError("B.json");
        Cli.run("help", "frobnicate").assertUsageError("frobnicate");
    }

    @Test
    void askingForAnotherBackendThanTheBuildIsAUsageError() {
        Cli.run("info", "--backend", "cuda").assertUsageError("this is the cpu build", "./ae4j --backend cuda");
    }

    @Test
    void truncatedIdxFileGivesOneLineAndExitCodeTwo() throws IOException {
        TinyDataset.write(dir, 24, 12, true);
        Path images = dir.resolve("train-images-idx3-ubyte.gz");
        byte[] all = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(all, all.length / 3));
        Cli.Result r = Cli.run("info", "--data", dir.toString()).assertUsageError();
        assertTrue(r.err().startsWith("ae4j: error: " + images + ": truncated"), r.err());
    }

    @Test
    void missingDataDirectoryIsReported() {
        Cli.Result r = Cli.run("info", "--data", dir.resolve("absent").toString()).assertUsageError();
        assertEquals("ae4j: error: --data " + dir.resolve("absent") + ": not a directory", r.err().strip());
    }

    @Test
    void trainLinearShowsTheBookRunAndTheConvergedRunOnPcasPlane() throws IOException {
        Path out = dir.resolve("linear");
        Cli.Result r = Cli.run("train", "linear", "--out", out.toString()).assertOk();
        JsonNode history = new ObjectMapper().readTree(out.resolve("history.json").toFile());
        assertEquals("linear", history.get("model").asText());
        assertEquals(17, history.get("params").asInt());
        assertEquals(42, history.get("seed").asInt());
        assertEquals(32, history.get("batch_size").asInt());
        assertEquals("cpu", history.get("backend").asText());
        assertEquals(20, history.get("epochs").size());
        for (String key : new String[]{"epoch", "loss", "seconds", "val_seconds"}) {
            assertTrue(history.get("epochs").get(19).has(key), key);
        }
        JsonNode phases = history.get("phases");
        assertEquals("model", phases.get(0).get("name").asText());
        assertEquals("converged", phases.get(1).get("name").asText());
        assertEquals(1000, phases.get(1).get("epochs").size());
        assertEquals(60, phases.get(1).get("batch_size").asInt());

        double optimum = Pca.reconstructionMse(Synthetic3d.generate(Synthetic3d.BOOK_SIZE, Synthetic3d.BOOK_SEED), 2);
        PcaComparison book = pca(history.get("pca"));
        PcaComparison converged = pca(phases.get(1).get("pca"));
        assertEquals(book.toString(), pca(phases.get(0).get("pca")).toString(), "the top level is the book-settings run");
        for (PcaComparison p : new PcaComparison[]{book, converged}) {
            assertEquals(optimum, p.pcaMse(), 1e-12);
            assertTrue(p.mse() >= optimum * (1 - 1e-5), "no linear map beats PCA: " + p);
        }
        assertTrue(converged.principalAngleDeg() < 1 && converged.mse() <= 1.02 * optimum, "converged to PCA: " + converged);
        assertEquals(converged.mse(), phases.get(1).get("epochs").get(999).get("loss").asDouble(), 1e-4,
                "the MSE is the model's own loss on the data");
        assertTrue(r.out().contains("the linear autoencoder performs PCA"), r.out());
        assertEquals(book.matchesPca(), !r.out().contains("only 40 SGD steps"), "the book run's shortfall is explained when there is one");
        for (String file : new String[]{"model.zip", "converged.zip", "linear_pca.png", "learning_curves.png", "learning_curves_converged.png"}) {
            assertTrue(Files.size(out.resolve(file)) > 100, file);
        }
        Cli.run("curves", out.resolve("history.json").toString(), "--out", dir.resolve("curves.png").toString()).assertOk();
        assertTrue(Files.size(dir.resolve("curves.png")) > 100, "curves reads what train writes");
    }

    private static PcaComparison pca(JsonNode n) {
        return new PcaComparison(n.get("principal_angle_deg").asDouble(), n.get("mse").asDouble(), n.get("pca_mse").asDouble());
    }

    static String benchJson(String cpu, double stackedMs) {
        return "{\"format\":\"ae4j-bench/2\",\"machine\":{\"cpu_model\":\"" + cpu + "\",\"cpu_cores\":2,\"backend\":\"cpu\",\"gpus\":[]},"
                + "\"results\":[{\"model\":\"stacked\",\"engine\":\"native\",\"threads\":1,\"batch_size\":32,\"ms_per_step_median\":" + stackedMs + "},"
                + "{\"model\":\"tied\",\"engine\":\"native\",\"threads\":1,\"batch_size\":32,\"ms_per_step_median\":0.3}]}";
    }

    @Test
    void benchCompareShowsTwoRecordedRunsSideBySide() throws IOException {
        Path a = Files.writeString(dir.resolve("laptop.json"), benchJson("Laptop CPU", 0.4));
        Path b = Files.writeString(dir.resolve("server.json"), benchJson("Server CPU", 0.2));
        Cli.Result r = Cli.run("bench", "compare", a.toString(), b.toString()).assertOk();
        assertTrue(r.out().contains("Laptop CPU") && r.out().contains("Server CPU"), r.out());
        assertTrue(r.out().contains("stacked native×1 32") && r.out().contains("2.00×"), r.out());
        Path whole = Files.writeString(dir.resolve("whole.json"), benchJson("Whole CPU", 1));
        assertTrue(Cli.run("bench", "compare", a.toString(), whole.toString()).assertOk().out().contains("0.40×"), "1 ms is a number too");
    }

    /**
     * A file written before the report was a record (every kind of row: measured on each engine, skipped, DL4J's;
     * the GEMM routes; the scaling table) reads back, and written again holds the same keys and values.
     */
    @Test
    void benchJsonOfFormat2ReadsBackAndIsWrittenTheSame() throws IOException, URISyntaxException {
        Path older = Path.of(MainTest.class.getResource("bench-format-2.json").toURI());
        BenchReport report = BenchCommand.readReport(older);
        assertEquals(6, report.results().size());
        assertEquals("the linear model has 60 samples", report.results().get(1).skipped());
        Path again = dir.resolve("again.json");
        Json.write(report, again);
        ObjectMapper json = new ObjectMapper();
        assertEquals(json.readTree(older.toFile()), json.readTree(again.toFile()));
        assertEquals(report, BenchCommand.readReport(again));
        assertTrue(Cli.run("bench", "compare", older.toString(), again.toString()).assertOk().out().contains("stacked dl4j-mln 32"));
    }

    /** A small file: ae4j in a fresh JVM and warm, and pandas where python3 can import it, else a reason; the JSON holds each. */
    @Test
    void benchCsvTimesEachReaderOnTheSameFile() throws IOException {
        Path json = dir.resolve("csv.json");
        Cli.Result r = Cli.run("bench", "csv", "--size-mb", "1", "--repeats", "1", "--dir", dir.resolve("files").toString(), "--json",
                json.toString()).assertOk();
        JsonNode report = new ObjectMapper().readTree(json.toFile());
        assertEquals("ae4j-bench-csv/1", report.get("format").asText());
        assertFalse(report.get("machine").get("cpu_model").asText().isEmpty());
        long rows = report.get("file").get("rows").asLong();
        assertTrue(rows > 500 && report.get("file").get("bytes").asLong() >= 1 << 20, report.get("file").toString());
        List<String> readers = new ArrayList<>();
        for (JsonNode read : report.get("reads")) {
            readers.add(read.get("reader").asText());
            if (read.has("skipped")) {
                assertTrue(read.get("reader").asText().startsWith("pandas") && read.get("skipped").asText().contains("python3"), read.toString());
                continue;
            }
            assertTrue(read.get("seconds_median").asDouble() > 0 && read.get("mib_per_second").asDouble() > 0, read.toString());
            assertEquals(read.get("seconds_median").asDouble(), read.get("seconds").get(0).asDouble());
        }
        assertEquals(List.of("ae4j-fresh-jvm", "ae4j-warm", "pandas-c-float32", "pandas-c-float64"), readers);
        JsonNode fresh = report.get("reads").get(0);
        assertTrue(fresh.get("process_seconds_median").asDouble() > fresh.get("seconds_median").asDouble(), "the process holds the read");
        assertEquals(report.get("reads").get(2).has("skipped"), !fresh.has("speedup_vs_pandas_float32"));
        assertTrue(r.out().contains(String.format("%,d rows of 64 columns", rows)) && r.out().contains("ae4j-fresh-jvm"), r.out());
    }

    @Test
    void infoJsonShowsBackendBlasAndDataset() throws IOException {
        TinyDataset.write(dir, 24, 12, false);
        Cli.Result r = Cli.run("info", "--json", "--data", dir.toString()).assertOk();
        JsonNode info = new ObjectMapper().readTree(r.out());
        assertEquals("cpu", info.get("backend").asText());
        assertEquals("OPENBLAS", info.get("blas_vendor").asText());
        assertTrue(info.get("blas_threads").asInt() >= 1);
        assertTrue(info.get("cpu_cores").asInt() >= 1);
        assertEquals("--data", info.get("dataset").get("origin").asText());
        assertEquals(dir.toString(), info.get("dataset").get("path").asText());
        assertEquals(22, info.get("dataset").get("train").asInt());
        assertEquals(2, info.get("dataset").get("validation").asInt());
        assertEquals(12, info.get("dataset").get("test").asInt());
        assertFalse(info.get("dataset").get("sample").asBoolean());
    }
}
