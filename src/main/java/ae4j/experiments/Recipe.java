package ae4j.experiments;

import ae4j.data.FashionMnist;
import ae4j.train.Engine;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The chapter's recipes, each by the one name the command line ({@code ae4j train <id>}), the output folders, model
 * files ("recipe"), history.json ("model"), the book's reference numbers and the benchmarks use, with what differs
 * between them: the book's epochs and batch size, the files a run trains, and what the recipe's model is.
 * <p>
 * The constants and their static initialisation touch no ND4J class, so the GPU bundle's check, which runs
 * without ND4J, names its models by {@link #id()}.
 */
public enum Recipe {
    LINEAR("linear", LinearAutoencoder.EPOCHS),
    STACKED("stacked", StackedAutoencoder.EPOCHS),
    TIED("tied", StackedAutoencoder.EPOCHS),
    GREEDY("greedy", GreedyLayerwise.EPOCHS),
    DENOISING_GAUSSIAN("denoising-gaussian", DenoisingAutoencoder.EPOCHS),
    DENOISING_DROPOUT("denoising-dropout", DenoisingAutoencoder.EPOCHS),
    SIGMOID_CODING("sigmoid-coding", SparseAutoencoder.EPOCHS),
    SPARSE_L1("sparse-l1", SparseAutoencoder.EPOCHS),
    SPARSE_KL("sparse-kl", SparseAutoencoder.EPOCHS),
    VARIATIONAL("variational", VariationalAutoencoder.EPOCHS);

    private final String id;
    private final int epochs;

    Recipe(String id, int epochs) {
        this.id = id;
        this.epochs = epochs;
    }

    /** The recipe's name everywhere outside Java: "linear", "denoising-gaussian", ... */
    public String id() {
        return id;
    }

    /** The recipe of an id, if it names one. */
    public static Optional<Recipe> byId(String id) {
        return Arrays.stream(values()).filter(r -> r.id.equals(id)).findFirst();
    }

    /** The book's epochs: each phase's for greedy, the run with the book's settings for linear. */
    public int epochs() {
        return epochs;
    }

    /** The book's batch size where it sets one (the variational autoencoder's 128); the others take Keras's default. */
    public OptionalInt batchSize() {
        return this == VARIATIONAL ? OptionalInt.of(VariationalAutoencoder.BATCH_SIZE) : OptionalInt.empty();
    }

    /** Whether the recipe trains on Fashion-MNIST: all but linear, which has the book's 3-D data. */
    public boolean onFashionMnist() {
        return this != LINEAR;
    }

    /**
     * The files a run of the recipe trains, in order, with the epochs asked of each and the flag that asks:
     * what {@link TrainRun#checkBeforeTraining} checks.
     *
     * @param epochs         the epochs asked for (--epochs)
     * @param fineTuneEpochs greedy's fine-tuning epochs
     */
    public List<TrainRun.Planned> planned(int epochs, int fineTuneEpochs) {
        return switch (this) {
            case LINEAR -> List.of(new TrainRun.Planned("model", epochs, "--epochs"),
                    new TrainRun.Planned("converged", LinearAutoencoder.CONVERGED_EPOCHS, "the converged run's fixed"));
            case GREEDY -> List.of(new TrainRun.Planned("phase1", epochs, "--epochs"), new TrainRun.Planned("phase2", epochs, "--epochs"),
                    new TrainRun.Planned("model", fineTuneEpochs, "--fine-tune-epochs"));
            default -> List.of(new TrainRun.Planned("model", epochs, "--epochs"));
        };
    }

    /** Whether each of the recipe's files learns from the one before (greedy's phases), as {@link TrainRun#checkBeforeTraining} asks. */
    public boolean chained() {
        return this == GREEDY;
    }

    /** How a denoising recipe corrupts its inputs while training; empty for the others. */
    public Optional<DenoisingAutoencoder.Corruption> corruption() {
        return switch (this) {
            case DENOISING_GAUSSIAN -> Optional.of(DenoisingAutoencoder.Corruption.GAUSSIAN);
            case DENOISING_DROPOUT -> Optional.of(DenoisingAutoencoder.Corruption.DROPOUT);
            default -> Optional.empty();
        };
    }

    /** The coding layer of the sparse recipes and of the model they are compared with (sigmoid-coding); empty for the others. */
    public Optional<SparseAutoencoder.Sparsity> sparsity() {
        return switch (this) {
            case SIGMOID_CODING -> Optional.of(SparseAutoencoder.Sparsity.NONE);
            case SPARSE_L1 -> Optional.of(SparseAutoencoder.Sparsity.L1);
            case SPARSE_KL -> Optional.of(SparseAutoencoder.Sparsity.KL);
            default -> Optional.empty();
        };
    }

    /** Whether the recipe's model is generative: it decodes random codings into new images (the variational autoencoder). */
    public boolean generative() {
        return this == VARIATIONAL;
    }

    /**
     * Trains a recipe of one Fashion-MNIST model with the book's settings, or those of {@code run}. Linear (two
     * runs on the 3-D data, {@link LinearAutoencoder#run}) and greedy (three phases, {@link GreedyLayerwise#run})
     * have their own.
     */
    public StackedAutoencoder.Result train(Engine engine, FashionMnist data, TrainRun run) {
        return switch (this) {
            case STACKED -> StackedAutoencoder.run(engine, data, run);
            case TIED -> TiedAutoencoder.run(engine, data, run);
            case DENOISING_GAUSSIAN, DENOISING_DROPOUT -> DenoisingAutoencoder.run(engine, data, run, corruption().orElseThrow());
            case SIGMOID_CODING, SPARSE_L1, SPARSE_KL -> SparseAutoencoder.run(engine, data, run, sparsity().orElseThrow());
            case VARIATIONAL -> VariationalAutoencoder.run(engine, data, run);
            case LINEAR, GREEDY -> throw new IllegalStateException(id + " trains more than one model: LinearAutoencoder.run, GreedyLayerwise.run");
        };
    }
}
