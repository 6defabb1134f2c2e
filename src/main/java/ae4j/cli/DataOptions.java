package ae4j.cli;

import ae4j.data.DataLocator;
import ae4j.data.FashionMnist;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --data} option shared by every command that reads Fashion-MNIST. */
public final class DataOptions {
    @Option(names = "--data", paramLabel = "DIR",
            description = {"Fashion-MNIST folder (the four IDX files, .gz or raw). Default: $AE4J_DATA if set, else the first of these "
                    + "that holds them:",
                    "  ~/.keras/datasets/fashion-mnist,",
                    "  /usr/share/datasets/fashion-mnist,",
                    "  ~/.cache/ae4j/fashion-mnist (downloaded there if possible),",
                    "else the embedded sample.",
                    "With AE4J_DATA_CONFINED=1, only $AE4J_DATA, then the sample."})
    Path dir;

    public DataLocator locator() {
        return DataLocator.standard(dir);
    }

    public FashionMnist load() {
        return load(dir);
    }

    /** Fashion-MNIST from the folder {@code dir} names, or, when null, from where {@link DataLocator#standard} finds it. */
    static FashionMnist load(Path dir) {
        return FashionMnist.load(DataLocator.standard(dir).locate());
    }
}
