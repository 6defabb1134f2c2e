package ae4j.cli;

import ae4j.backend.BackendInfo;
import ae4j.data.FashionMnist;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ae4j demo}: the whole chapter in one command. Until the training engine lands it shows what the chapter
 * will run on: the backend and the dataset, loaded and checked.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the chapter's demo. For now: show the backend and load and summarise Fashion-MNIST.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    DataOptions data;

    @Override
    public Integer call() {
        BackendInfo.collect().forEach((k, v) -> System.out.printf("%-20s %s%n", k, v));
        System.out.println();
        DatasetSummary.print(DatasetSummary.of(data.load()));
        System.out.println();
        System.out.println("Training (ae4j train) arrives with the engine; this build checks the backend and the data.");
        return Main.EXIT_OK;
    }
}
