package ae4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ae4j.data.TinyDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every command and option given a bad value: exit code 2, one line on stderr naming the input, nothing written,
 * and no folder left behind. In the arguments, "@/" stands for the test's folder, which holds: tiny/ and too-small/
 * (small Fashion-MNIST-shaped datasets), linear/model.zip, stacked/model.zip and variational/model.zip (two epochs,
 * trained here), rows.csv, wide.csv, text-cell.csv and custom/model.zip (train custom on rows.csv), a-file, a-folder/,
 * damaged.zip, and the JSON files of {@link #json}.
 */
class BadInputTest {
    @TempDir
    static Path dir;

    @BeforeAll
    static void fixtures() throws IOException {
        TinyDataset.write(Files.createDirectories(dir.resolve("tiny")), 240, 60, true);
        TinyDataset.write(Files.createDirectories(dir.resolve("too-small")), 24, 12, true);
        Cli.run("train", "linear", "--epochs", "1", "--out", dir.resolve("linear").toString()).assertOk();
        Cli.run("train", "stacked", "--epochs", "1", "--data", dir.resolve("tiny").toString(), "--out", dir.resolve("stacked").toString())
                .assertOk();
        Cli.run("train", "variational", "--epochs", "2", "--data", dir.resolve("tiny").toString(), "--out", dir.resolve("variational").toString())
                .assertOk();
        Files.writeString(dir.resolve("rows.csv"), rows(40, 4));
        Files.writeString(dir.resolve("wide.csv"), rows(10, 5));
        Files.writeString(dir.resolve("text-cell.csv"), "a,b\n1,2\n3,x\n");
        Cli.run("train", "custom", "--data", dir.resolve("rows.csv").toString(), "--layers", "3,2", "--epochs", "1", "--out",
                dir.resolve("custom").toString()).assertOk();
        Files.write(dir.resolve("nan.npy"), nanNpy());
        Files.writeString(dir.resolve("a-file"), "not a folder");
        Files.createDirectories(dir.resolve("a-folder"));
        Files.writeString(dir.resolve("damaged.zip"), "not a zip");
        json("not-json.txt", "{ this is not JSON");
        json("null.json", "null");
        json("array.json", "[1, 2]");
        json("no-epochs.json", "{\"model\": \"stacked\"}");
        json("epochs-string.json", "{\"epochs\": \"many\"}");
        json("epoch-number.json", "{\"epochs\": [1]}");
        json("loss-string.json", "{\"epochs\": [{\"epoch\": 1, \"loss\": \"low\"}]}");
        json("no-loss.json", "{\"epochs\": [{\"epoch\": 1, \"val_loss\": 0.3}]}");
        json("epoch-zero.json", "{\"epochs\": [{\"epoch\": 0, \"loss\": 0.3}]}");
        json("mixed-metrics.json", "{\"epochs\": [{\"epoch\": 1, \"loss\": 0.5}, {\"epoch\": 2, \"loss\": 0.4, \"accuracy\": 0.9}]}");
        json("epochs-skip.json", "{\"epochs\": [{\"epoch\": 1, \"loss\": 0.5}, {\"epoch\": 3, \"loss\": 0.4}]}");
        json("good-history.json", "{\"model\": \"m\", \"epochs\": [{\"epoch\": 1, \"loss\": 0.5}, {\"epoch\": 2, \"loss\": 0.4}]}");
        json("bench-good.json", MainTest.benchJson("A CPU", 0.2));
        json("bench-format.json", MainTest.benchJson("A CPU", 0.2).replace("ae4j-bench/2", "ae4j-bench/0"));
        json("bench-no-machine.json", "{\"format\": \"ae4j-bench/2\", \"results\": []}");
        json("bench-results-object.json", "{\"format\": \"ae4j-bench/2\", \"machine\": {\"cpu_model\": \"X\", \"cpu_cores\": 2, "
                + "\"backend\": \"cpu\"}, \"results\": {}}");
        json("bench-no-median.json", MainTest.benchJson("A CPU", 0.2).replace("\"ms_per_step_median\":0.3", "\"ms\":0.3"));
        json("bench-median-string.json", MainTest.benchJson("A CPU", 0.2).replace("\"ms_per_step_median\":0.3", "\"ms_per_step_median\":\"fast\""));
        json("bench-batch-string.json", MainTest.benchJson("A CPU", 0.2).replace("\"batch_size\":32,\"ms_per_step_median\":0.3",
                "\"batch_size\":\"32\",\"ms_per_step_median\":0.3"));
    }

    /** A .npy of shape (3, 2), float32, whose third row starts with a NaN. */
    static byte[] nanNpy() {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 2), }";
        header += " ".repeat(63 - (10 + header.length()) % 64) + "\n";
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(10 + header.length() + 24).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length())
                .put(header.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        b.putFloat(1).putFloat(2).putFloat(3).putFloat(4).putFloat(Float.NaN).putFloat(6);
        return b.array();
    }

    /** A CSV of {@code n} rows of {@code width} numbers, without a header. */
    static String rows(int n, int width) {
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < width; j++) {
                csv.append(j == 0 ? "" : ",").append((i * 7 + j * 3) % 10 / 10.0);
            }
            csv.append('\n');
        }
        return csv.toString();
    }

    static void json(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // train
                c("--epochs must be at least 1", "train", "stacked", "--epochs", "0"),
                c("--batch-size must be at least 1", "train", "stacked", "--batch-size", "-1"),
                c("--lr must be a positive number", "train", "stacked", "--lr", "NaN"),
                c("--lr", "train", "stacked", "--lr", "fast"),
                c("--lr must be a positive number", "train", "stacked", "--lr", "-0.5"),
                c("--fine-tune-epochs must be at least 0", "train", "greedy", "--fine-tune-epochs", "-1"),
                c("--early-stopping must be at least 1", "train", "stacked", "--early-stopping", "0"),
                c("--early-stopping watches val_loss, and linear trains without validation data", "train", "linear", "--early-stopping", "2"),
                c("choose one of linear, stacked, tied, greedy, denoising-gaussian, denoising-dropout, sigmoid-coding, sparse-l1, sparse-kl, "
                        + "variational", "train", "autoencoderz"),
                c("--epochs must be at least 1", "train", "variational", "--epochs", "0"),
                c("--batch-size must be at least 1", "train", "denoising-gaussian", "--batch-size", "0"),
                c("--lr must be a positive number", "train", "sparse-kl", "--lr", "NaN"),
                c("--lr must be a positive number", "train", "sparse-l1", "--lr", "-1"),
                c("--lr", "train", "denoising-dropout", "--lr", "slow"),
                c("--data @/absent: not a directory", "train", "sigmoid-coding", "--data", "@/absent", "--out", "@/new/sigmoid"),
                c("--engine must be auto, native, nd4j or cuda", "train", "variational", "--engine", "gpu", "--out", "@/new/vae"),
                c("holds a stacked model, not denoising-dropout", "train", "denoising-dropout", "--resume", "--out", "@/stacked", "--data", "@/tiny"),
                c("holds a stacked model (model.zip), which training sparse-kl there would replace", "train", "sparse-kl", "--out", "@/stacked",
                        "--data", "@/tiny"),
                c("has trained 2 epochs and --epochs 1 asks for fewer", "train", "variational", "--resume", "--epochs", "1", "--out",
                        "@/variational", "--data", "@/tiny"),
                c("was trained with --batch-size 128, not 64", "train", "variational", "--resume", "--batch-size", "64", "--out",
                        "@/variational", "--data", "@/tiny"),
                c("nothing to resume in @/new/kl", "train", "sparse-kl", "--resume", "--out", "@/new/kl", "--data", "@/tiny"),
                c("is a file, not a folder", "train", "linear", "--out", "@/a-file"),
                c("--out @/a-file/sub", "train", "linear", "--out", "@/a-file/sub"),
                c("--engine must be auto, native, nd4j or cuda", "train", "linear", "--engine", "gpu", "--out", "@/new/linear"),
                c("--threads must be between 1 and 64", "train", "linear", "--threads", "0", "--out", "@/new/linear"),
                c("--threads must be a number of threads or auto", "train", "linear", "--threads", "many", "--out", "@/new/linear"),
                c("--data @/absent: not a directory", "train", "stacked", "--data", "@/absent", "--out", "@/new/stacked"),
                c("holds a linear model, not stacked", "train", "stacked", "--resume", "--out", "@/linear", "--data", "@/tiny"),
                c("holds a linear model (model.zip), which training stacked there would replace", "train", "stacked", "--out", "@/linear",
                        "--data", "@/tiny"),
                // train custom
                c("text-cell.csv: line 3", "train", "custom", "--data", "@/text-cell.csv", "--out", "@/new/custom"),
                c("--scale must be none, minmax or standard, not 'log'", "train", "custom", "--data", "@/rows.csv", "--scale", "log",
                        "--out", "@/new/custom"),
                c("--layers 8,x: 'x' is not a width", "train", "custom", "--data", "@/rows.csv", "--layers", "8,x", "--out", "@/new/custom"),
                c("--layers is for train custom", "train", "stacked", "--layers", "8", "--out", "@/new/stacked"),
                c("--scale is for train custom", "train", "linear", "--scale", "none", "--out", "@/new/linear"),
                c("wide.csv: rows have 5 values, but the training rows of", "train", "custom", "--data", "@/rows.csv", "--validation",
                        "@/wide.csv", "--out", "@/new/custom"),
                c("--data FILE is required", "train", "custom", "--out", "@/new/custom"),
                c("--validation-split must be in [0, 1)", "train", "custom", "--data", "@/rows.csv", "--validation-split", "1",
                        "--out", "@/new/custom"),
                c("--lr is for the recipes", "train", "custom", "--data", "@/rows.csv", "--lr", "0.1", "--out", "@/new/custom"),
                c("--lr-schedule must be plateau[:FACTOR[:PATIENCE[:MIN_LR]]] or exponential:FACTOR:STEPS[:staircase], not 'cosine'",
                        "train", "custom", "--data", "@/rows.csv", "--lr-schedule", "cosine", "--out", "@/new/custom"),
                c("--lr-schedule plateau:2: the factor must be in (0, 1)", "train", "custom", "--data", "@/rows.csv", "--lr-schedule",
                        "plateau:2", "--out", "@/new/custom"),
                c("--lr-schedule plateau:0.5:x: 'x' is not a whole number", "train", "custom", "--data", "@/rows.csv", "--lr-schedule",
                        "plateau:0.5:x", "--out", "@/new/custom"),
                c("--lr-schedule plateau:0.5:3:-1: the minimum rate must be finite and at least 0", "train", "custom", "--data", "@/rows.csv",
                        "--lr-schedule", "plateau:0.5:3:-1", "--out", "@/new/custom"),
                c("--lr-schedule must be plateau", "train", "custom", "--data", "@/rows.csv", "--lr-schedule", "exponential:0.9", "--out",
                        "@/new/custom"),
                c("--lr-schedule exponential:0.9:0: the steps must be at least 1", "train", "custom", "--data", "@/rows.csv",
                        "--lr-schedule", "exponential:0.9:0", "--out", "@/new/custom"),
                c("--lr-schedule exponential:1.5:10: the factor must be in (0, 1]", "train", "custom", "--data", "@/rows.csv",
                        "--lr-schedule", "exponential:1.5:10", "--out", "@/new/custom"),
                c("--lr-schedule must be plateau", "train", "custom", "--data", "@/rows.csv", "--lr-schedule", "exponential:0.9:10:stairs",
                        "--out", "@/new/custom"),
                c("--lr-schedule plateau watches val_loss, and --validation-split 0 leaves no validation rows", "train", "custom", "--data",
                        "@/rows.csv", "--validation-split", "0", "--lr-schedule", "plateau", "--out", "@/new/custom"),
                c("--lr-schedule exponential is for train custom", "train", "stacked", "--lr-schedule", "exponential:0.9:10", "--out",
                        "@/new/stacked"),
                c("--lr-schedule plateau watches val_loss, and linear trains without validation data", "train", "linear", "--lr-schedule",
                        "plateau", "--out", "@/new/linear"),
                c("--lr-schedule must be plateau", "train", "stacked", "--lr-schedule", "plateau:0.5:1:0:0", "--out", "@/new/stacked"),
                // encode
                c("--data @/wide.csv: rows have 5 values, but the model @/custom/model.zip takes 4", "encode", "--model",
                        "@/custom/model.zip", "--data", "@/wide.csv", "--out", "@/new/codings.npy"),
                c("--out @/new/codings.txt: name a .npy or .csv file", "encode", "--model", "@/custom/model.zip", "--data",
                        "@/rows.csv", "--out", "@/new/codings.txt"),
                // score
                c("--data @/wide.csv: rows have 5 values, but the model @/custom/model.zip takes 4", "score", "--model",
                        "@/custom/model.zip", "--data", "@/wide.csv", "--out", "@/new/scores.csv"),
                c("--out @/new/scores.npy: name a .csv file", "score", "--model", "@/custom/model.zip", "--data", "@/rows.csv",
                        "--out", "@/new/scores.npy"),
                c("--threshold p150: a percentile is between 0 and 100", "score", "--model", "@/custom/model.zip", "--data",
                        "@/rows.csv", "--threshold", "p150", "--out", "@/new/scores.csv"),
                c("--threshold high: write pNN", "score", "--model", "@/custom/model.zip", "--data", "@/rows.csv", "--threshold",
                        "high", "--out", "@/new/scores.csv"),
                c("--anomaly-label needs --label-column", "score", "--model", "@/custom/model.zip", "--data", "@/rows.csv",
                        "--anomaly-label", "bad", "--out", "@/new/scores.csv"),
                c("no such model file", "score", "--model", "@/absent.zip", "--data", "@/rows.csv", "--out", "@/new/scores.csv"),
                // reconstruct
                c("no such model file", "reconstruct", "--model", "@/absent.zip"),
                c("is a folder, not a model file", "reconstruct", "--model", "@/a-folder"),
                c("not an ae4j model file", "reconstruct", "--model", "@/damaged.zip"),
                c("needs an autoencoder of Fashion-MNIST images", "reconstruct", "--model", "@/linear/model.zip", "--out", "@/new/r.png"),
                c("@/nan.npy: row 2, column 0: NaN", "train", "custom", "--data", "@/nan.npy", "--validation-split", "0", "--out", "@/new/nan"),
                c("was trained on samples of shape [4], not images; reconstruct draws images", "reconstruct", "--model", "@/custom/model.zip",
                        "--data", "@/rows.csv", "--out", "@/new/r.png"),
                c("--out @/a-folder: is a folder", "reconstruct", "--model", "@/stacked/model.zip", "--out", "@/a-folder"),
                c("--n must be between 1 and 50", "reconstruct", "--model", "@/stacked/model.zip", "--n", "0"),
                c("--n must be between 1 and 50", "reconstruct", "--model", "@/stacked/model.zip", "--n", "51"),
                c("--n must be between 1 and 20", "reconstruct", "--model", "@/stacked/model.zip", "--n", "30", "--data", "@/tiny",
                        "--out", "@/new/r.png"),
                // tsne
                c("--iterations must be at least 250", "tsne", "--model", "@/stacked/model.zip", "--iterations", "100"),
                c("--n must be at least 10", "tsne", "--model", "@/stacked/model.zip", "--n", "5"),
                c("--n must be between 10 and 20", "tsne", "--model", "@/stacked/model.zip", "--n", "100", "--data", "@/tiny",
                        "--out", "@/new/tsne"),
                c("needs an autoencoder of Fashion-MNIST images", "tsne", "--model", "@/linear/model.zip", "--out", "@/new/tsne"),
                c("no such model file", "tsne", "--model", "@/absent.zip"),
                c("is a file, not a folder", "tsne", "--model", "@/stacked/model.zip", "--out", "@/a-file"),
                // pretrain
                c("needs an autoencoder of Fashion-MNIST images", "pretrain", "--model", "@/linear/model.zip", "--out", "@/new/pre"),
                c("no such model file", "pretrain", "--model", "@/absent.zip", "--out", "@/new/pre"),
                c("--labels must be between 10 and 220", "pretrain", "--model", "@/stacked/model.zip", "--labels", "5", "--data", "@/tiny",
                        "--out", "@/new/pre"),
                c("--epochs must be at least 1", "pretrain", "--epochs", "0"),
                c("--lr must be a positive number", "pretrain", "--lr", "0"),
                c("--seeds", "pretrain", "--seeds", ""),
                c("is a file, not a folder", "pretrain", "--model", "@/stacked/model.zip", "--out", "@/a-file"),
                // curves
                c("no such file", "curves", "@/absent.json"),
                c("is a folder", "curves", "@/a-folder"),
                c("not JSON", "curves", "@/not-json.txt"),
                c("holds null", "curves", "@/null.json"),
                c("not a history.json of ae4j", "curves", "@/array.json"),
                c("no \"epochs\"", "curves", "@/no-epochs.json"),
                c("epochs", "curves", "@/epochs-string.json"),
                c("epochs[0]", "curves", "@/epoch-number.json"),
                c("\"loss\" is not a number", "curves", "@/loss-string.json"),
                c("\"loss\" is missing", "curves", "@/no-loss.json"),
                c("\"epoch\" is missing or not a whole number from 1", "curves", "@/epoch-zero.json"),
                c("epochs[1] has other quantities than epochs[0]", "curves", "@/mixed-metrics.json"),
                c("epochs[1] is epoch 3, after epoch 1", "curves", "@/epochs-skip.json"),
                c("--out @/a-folder: is a folder", "curves", "@/good-history.json", "--out", "@/a-folder"),
                // bench
                c("--models: unknown model 'foo'", "bench", "--models", "foo"),
                c("--engines: unknown engine 'foo'", "bench", "--engines", "foo"),
                c("--warmup must be at least 0", "bench", "--warmup", "-1"),
                c("--threads must be between 1 and 64", "bench", "--threads", "1,65"),
                c("--batch-sizes must be at least 1", "bench", "--batch-sizes", "0"),
                c("--steps must be at least 1", "bench", "--steps", "0"),
                c("--repeats must be at least 1", "bench", "--repeats", "0"),
                c("--backends: unknown backend 'foo'", "bench", "--backends", "foo"),
                c("--json @/a-folder: is a folder", "bench", "--json", "@/a-folder"),
                c("--size-mb must be between 1 and 65536, not 0", "bench", "csv", "--size-mb", "0"),
                c("--repeats must be at least 1", "bench", "csv", "--repeats", "0"),
                c("--dir @/a-file: is a file, not a folder", "bench", "csv", "--dir", "@/a-file"),
                c("--json @/a-folder: is a folder", "bench", "csv", "--json", "@/a-folder"),
                c("no such file", "bench", "compare", "@/bench-good.json", "@/absent.json"),
                c("format ae4j-bench/0", "bench", "compare", "@/bench-good.json", "@/bench-format.json"),
                c("\"machine\" must be an object", "bench", "compare", "@/bench-good.json", "@/bench-no-machine.json"),
                c("\"results\" must be a list", "bench", "compare", "@/bench-good.json", "@/bench-results-object.json"),
                c("results[1]: \"ms_per_step_median\" is missing", "bench", "compare", "@/bench-good.json", "@/bench-no-median.json"),
                c("results[1]: \"ms_per_step_median\" is missing or not a positive number", "bench", "compare", "@/bench-good.json",
                        "@/bench-median-string.json"),
                c("results[1]: \"batch_size\"", "bench", "compare", "@/bench-good.json", "@/bench-batch-string.json"),
                // export
                c("no such model file", "export", "--model", "@/absent.zip"),
                c("is a file, not a folder", "export", "--model", "@/stacked/model.zip", "--out", "@/a-file"),
                // demo and info
                c("is a file, not a folder", "demo", "--out", "@/a-file"),
                c("--engine must be auto, native, nd4j or cuda", "demo", "--engine", "foo", "--out", "@/new/demo"),
                c("--data @/absent: not a directory", "demo", "--data", "@/absent", "--out", "@/new/demo"),
                c("the demo needs at least 10 training and 10 validation images, not 22 and 2", "demo", "--data", "@/too-small",
                        "--out", "@/new/demo"),
                c("--data @/a-file: not a directory", "info", "--data", "@/a-file"));
    }

    static Arguments c(String fragment, String... args) {
        return Arguments.of(String.join(" ", args), fragment, args);
    }

    static String[] resolve(String... args) {
        return Arrays.stream(args).map(a -> a.replace("@/", dir + "/")).toArray(String[]::new);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void oneLineExitTwoNothingWritten(String name, String fragment, String[] args) throws IOException {
        List<String> before = tree();
        Cli.Result r = Cli.run(resolve(args)).assertUsageError(fragment.replace("@/", dir + "/"));
        assertEquals("", r.out(), "nothing printed before the error");
        assertEquals(before, tree(), "no file or folder left behind");
    }

    @Test
    void pretrainWithAMissingModelNeverTouchesTheOneBesideIt() throws IOException {
        Path models = Files.createDirectories(dir.resolve("precious"));
        byte[] precious = "a model someone trained for hours".getBytes();
        Files.write(models.resolve("model.zip"), precious);
        Cli.run("pretrain", "--model", models.resolve("other.zip").toString(), "--data", dir.resolve("tiny").toString(),
                "--out", dir.resolve("precious-out").toString()).assertUsageError("other.zip: no such model file");
        assertArrayEquals(precious, Files.readAllBytes(models.resolve("model.zip")));
        assertEquals(List.of(models.resolve("model.zip")), Files.list(models).toList(), "nothing else written there");
        assertEquals(false, Files.exists(dir.resolve("precious-out")));
    }

    /** Every path under the test's folder, with each file's size. */
    static List<String> tree() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.map(p -> p + (Files.isRegularFile(p) ? " " + p.toFile().length() : "")).sorted().toList();
        }
    }
}
