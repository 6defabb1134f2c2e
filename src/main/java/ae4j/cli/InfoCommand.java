package ae4j.cli;

import ae4j.backend.BackendInfo;
import ae4j.data.DatasetSource;
import ae4j.data.FashionMnist;
import ae4j.train.EngineChoice;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ae4j info}: the backend, BLAS, CPU/GPU and profile this run uses, and where the dataset was found. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show the backend, ND4J and BLAS, CPU and GPU, native kernels, profile, and the dataset (checked by loading it).")
final class InfoCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Map<String, Object> info = BackendInfo.collect(EngineChoice.describeEngines());
        DatasetSource source = data.locator().locateOffline();
        DatasetSummary dataset = DatasetSummary.of(FashionMnist.load(source));
        if (json) {
            info.put("dataset", dataset);
            System.out.println(Json.toString(info));
        } else {
            info.forEach((k, v) -> System.out.printf("%-20s %s%n", k, v));
            System.out.println();
            dataset.print();
        }
        return Main.EXIT_OK;
    }
}
