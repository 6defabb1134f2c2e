package ae4j.data;

import static org.junit.jupiter.api.Assumptions.assumeFalse;

/** Tests that need the full Fashion-MNIST find it as ae4j would, without downloading, and are skipped without it. */
public final class FullDataset {
    private FullDataset() {
    }

    /** The full dataset's location; skips the test, saying why, when there is none (or the run is confined). */
    public static DatasetSource assumePresent() {
        DatasetSource source = DataLocator.standard(null, line -> { }).locateOffline();
        assumeFalse(source.isSample(), "the full Fashion-MNIST is not here (apt-get install dataset-fashion-mnist"
                + (DataLocator.isConfined(System.getenv()) ? ", and run without " + DataLocator.CONFINED_ENV_VAR : "") + ")");
        return source;
    }
}
