package ae4j.experiments;

import ae4j.UserInputException;
import ae4j.data.Scaler;
import ae4j.train.Callback;
import ae4j.train.EarlyStopping;
import ae4j.train.Engine;
import ae4j.train.Model;
import ae4j.train.ModelCheckpoint;
import ae4j.train.ModelFile;
import ae4j.train.ReduceLROnPlateau;
import ae4j.train.RunSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * One run of a recipe: what the user chose, the output folder, and the models ("phases") it trains. Every phase
 * is saved to {@code out/<file>.zip} after each epoch by a {@link ModelCheckpoint}, with the run's settings; after
 * each save a {@link Listener} may write more (history.json). Epochs shorter than {@link #MIN_SAVE_INTERVAL} are
 * saved at that interval and when training ends, so that a thousand epochs of milliseconds are not a thousand
 * writes. With {@code resume}, a phase whose file exists continues from it, and only when that file was saved with
 * the same settings: a resumed run is the run it continues. The settings' learning-rate schedule, when it is
 * plateau reduction, is a {@link ReduceLROnPlateau} on each phase (a decay is the optimizer's, given to the model
 * before it is compiled: {@link LrScheduleOption#applyTo}).
 */
public final class TrainRun {
    /** A setting --resume compares: the flag that sets it, for messages, its value, and how to show it when unset. */
    private record Setting(String flag, Function<RunSettings, Object> value, String unset) {
        Setting(String flag, Function<RunSettings, Object> value) {
            this(flag, value, "(the book's)");
        }
    }

    private static final List<Setting> SETTINGS = List.of(new Setting("--seed", RunSettings::seed),
            new Setting("--batch-size", RunSettings::batchSize), new Setting("--lr", RunSettings::learningRate),
            new Setting("--engine", RunSettings::engine), new Setting("--threads", RunSettings::threads),
            new Setting("--backend", RunSettings::backend), new Setting("--lr-schedule", RunSettings::lrSchedule, "(none)"));

    /** Called after each save, while no other save can start. */
    @FunctionalInterface
    public interface Listener {
        void saved(TrainRun run) throws IOException;
    }

    /** The last epoch on disk: phase {@code phase}'s file holds {@code epoch} of its {@code epochs}. */
    public record Saved(String phase, int epoch, int epochs, Path file) {
    }

    /** A phase the run will train, for {@link #checkResume}: its file, its epochs, and the flag that asks for them. */
    public record Planned(String file, int epochs, String flag) {
    }

    static final Duration MIN_SAVE_INTERVAL = Duration.ofMillis(100);

    /** Every recipe's model is an encoder and a decoder, in that order: the file says so for Autoencoder.of. */
    private static final int ENCODER_PARTS = 1;

    /** The model's name in files and messages: the recipe's id, or {@link #CUSTOM}. */
    public static final String CUSTOM = "custom";

    private final Recipe recipe;
    private final String modelId;
    private final int epochs;
    private final RunSettings settings;
    private final Path out;
    private boolean resume;
    private int patience;
    private boolean restoreBestWeights;
    /** By phase name, the early stopping that puts a phase's best weights back: each save of the phase keeps them too. */
    private final Map<String, EarlyStopping> keepingBest = new ConcurrentHashMap<>();
    private final Listener listener;
    private final List<Phase> phases = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> epochsAtStart = new HashMap<>();
    private final Object saving = new Object();
    private boolean stopped;
    private Saved lastSaved;
    private Scaler scaler;
    private int[] sampleShape;

    /**
     * @param epochs   the epochs asked for (--epochs); phases with fixed lengths take their own
     * @param listener called after each save, or null
     */
    public TrainRun(Recipe recipe, int epochs, RunSettings settings, Path out, boolean resume, Listener listener) {
        this(recipe, recipe.id(), epochs, settings, out, resume, listener);
    }

    private TrainRun(Recipe recipe, String modelId, int epochs, RunSettings settings, Path out, boolean resume, Listener listener) {
        this.recipe = recipe;
        this.modelId = modelId;
        this.epochs = epochs;
        this.settings = settings;
        this.out = out;
        this.resume = resume;
        this.listener = listener;
    }

    /** A run of an autoencoder of your own ({@code train custom}), which no recipe describes. */
    public static TrainRun custom(int epochs, RunSettings settings, Path out, boolean resume, Listener listener) {
        return new TrainRun(null, CUSTOM, epochs, settings, out, resume, listener);
    }

    /** Every file the run saves carries the scaler its data went through and one sample's shape, for encode and score. */
    public TrainRun withData(Scaler dataScaler, int[] shape) {
        this.scaler = dataScaler;
        this.sampleShape = shape.clone();
        return this;
    }

    /**
     * Stops each phase once its val_loss has not improved for {@code patience} epochs ({@link EarlyStopping},
     * counted over the epochs its file holds too); 0, the default, trains every epoch asked for. With
     * {@code restoreBestWeights}, a phase that stopped early ends with the weights of its best epoch (its History
     * still lists every epoch), which each save keeps beside the model's until then, so that a resumed run has
     * them too; without, with the last epoch's.
     */
    public TrainRun stopEarly(int patience, boolean restoreBestWeights) {
        this.patience = patience;
        this.restoreBestWeights = restoreBestWeights;
        return this;
    }

    /** The recipe; null for a custom run. */
    public Recipe recipe() {
        return recipe;
    }

    /** The recipe's id, or {@link #CUSTOM}. */
    public String modelId() {
        return modelId;
    }

    public int epochs() {
        return epochs;
    }

    public RunSettings settings() {
        return settings;
    }

    public int batchSize() {
        return settings.batchSize();
    }

    public Path out() {
        return out;
    }

    public double learningRateOr(double bookValue) {
        return settings.learningRate() == null ? bookValue : settings.learningRate();
    }

    public Path modelFile(String file) {
        return out.resolve(file + ".zip");
    }

    /** The phases trained or being trained, in order. */
    public List<Phase> phases() {
        return List.copyOf(phases);
    }

    /**
     * Before any work. Without resume: no file the run will write may hold another recipe's model. With resume:
     * something must be there to resume, saved by this recipe with the same settings, and no phase may have trained
     * more epochs than asked for. {@code chained}: each phase learns from the one before, so the phases after one
     * that trains further start over, and what was saved of them does not matter.
     */
    public void checkBeforeTraining(List<Planned> planned, boolean chained) {
        if (!resume) {
            for (Planned p : planned) {
                Path file = modelFile(p.file());
                String other = Files.exists(file) ? savedRecipe(file) : modelId;
                if (other != null && !modelId.equals(other)) {
                    throw new UserInputException("--out " + out + " holds a " + other + " model (" + file.getFileName() + "), which training "
                            + modelId + " there would replace; use another --out");
                }
            }
            return;
        }
        boolean found = false;
        boolean startsOver = false;
        for (Planned p : planned) {
            Path file = modelFile(p.file());
            if (!Files.exists(file)) {
                startsOver |= chained;
                continue;
            }
            found = true;
            if (startsOver) {
                continue;
            }
            ModelFile.Loaded saved = ModelFile.load(file, Engine.nd4j(0));
            checkSameRun(file, saved.meta());
            int done = saved.model().history().epochs().size();
            checkNotBeyond(file, done, p.epochs(), p.flag() + " " + p.epochs());
            startsOver |= chained && done < p.epochs();
        }
        if (!found) {
            throw new UserInputException("--resume: nothing to resume in " + out + " (no " + modelFile(planned.get(0).file()).getFileName()
                    + "); train without --resume to start");
        }
    }

    /** The recipe a model file was saved by, or null when it cannot be read (then it holds nothing to keep). */
    private static String savedRecipe(Path file) {
        try {
            return ModelFile.load(file, Engine.nd4j(0)).meta().recipe();
        } catch (UserInputException e) {
            return null;
        }
    }

    private void checkSameRun(Path file, ModelFile.Metadata meta) {
        if (!modelId.equals(meta.recipe())) {
            throw new UserInputException("--resume: " + file + " holds a " + meta.recipe() + " model, not " + modelId
                    + "; use another --out");
        }
        if (meta.settings() == null) {
            throw new UserInputException("--resume: " + file + " does not record the settings it was trained with (an older ae4j wrote it);"
                    + " train without --resume to start over");
        }
        for (Setting setting : SETTINGS) {
            Object was = setting.value().apply(meta.settings());
            Object now = setting.value().apply(settings);
            if (!String.valueOf(was).equals(String.valueOf(now))) {
                throw new UserInputException("--resume: " + file + " was trained with " + setting.flag() + " "
                        + (was == null ? setting.unset() : was) + ", not " + (now == null ? setting.unset() : now)
                        + "; resume with the same settings, or train without --resume to start over");
            }
        }
    }

    private static void checkNotBeyond(Path file, int done, int asked, String askedBy) {
        if (done > asked) {
            throw new UserInputException("--resume: " + file + " has trained " + done + " epochs and " + askedBy + " asks for fewer;"
                    + " ask for " + done + " or more to continue it");
        }
    }

    /**
     * Fits {@code model} to {@code epochs} epochs on x (inputs and targets), or fewer when it stops early, resuming
     * from its file when asked.
     */
    public Phase fit(Model model, String name, String file, String description, int epochs, int batchSize, INDArray x, INDArray xValid) {
        Path path = modelFile(file);
        List<Callback> callbacks = new ArrayList<>();
        LrScheduleOption schedule = settings.lrSchedule() == null ? null : LrScheduleOption.parse(settings.lrSchedule());
        if (schedule instanceof LrScheduleOption.Plateau plateau) {
            requireValidation(xValid, name, "--lr-schedule plateau");
            callbacks.add(plateau.callback());
        }
        EarlyStopping stopping = null;
        if (patience > 0) {
            requireValidation(xValid, name, "early stopping");
            stopping = new EarlyStopping("val_loss", patience, 0, restoreBestWeights);
            callbacks.add(stopping);
        }
        if (resume && Files.exists(path)) {
            checkSameRun(path, ModelFile.restoreInto(model, path));
            if (stopping != null && restoreBestWeights) {
                EarlyStopping resumed = stopping;
                ModelFile.bestWeights(path, model).ifPresent(b -> resumed.resumingWithBest(b.epoch(), b.params()));
            }
            int done = model.history().epochs().size();
            checkNotBeyond(path, done, epochs, "this run");
            synchronized (saving) {
                lastSaved = new Saved(name, done, epochs, path);
            }
            if (model.engine().verbose()) {
                System.out.printf("Resuming %s from %s after epoch %d%n", name, path, done);
            }
        }
        Phase phase = new Phase(name, description, model, batchSize, file);
        phases.add(phase);
        epochsAtStart.put(name, model.history().epochs().size());
        if (stopping != null && restoreBestWeights) {
            keepingBest.put(name, stopping);
        }
        // Last, so that a save holds what the other callbacks changed at the epoch's end (the learning rate).
        callbacks.add(new ModelCheckpoint(path, metadata(phase)).atMostEvery(MIN_SAVE_INTERVAL)
                .writingWith((m, to, meta) -> save(phase, to, meta, epochs)));
        model.fit(x, x, epochs, batchSize, xValid, xValid, callbacks.toArray(Callback[]::new));
        if (stopping != null && stopping.stoppedEpoch() > 0) {
            reportEarlyStop(phase, stopping, epochs, path);
        }
        return phase;
    }

    private static void requireValidation(INDArray xValid, String phase, String what) {
        if (xValid == null) {
            throw new IllegalArgumentException(what + " watches val_loss, and " + phase + " trains without validation data");
        }
    }

    /**
     * Says where the phase stopped and, when it put the best epoch's weights back, which epoch's they are; then
     * saves it so, its History still listing every epoch.
     */
    private void reportEarlyStop(Phase phase, EarlyStopping stopping, int epochs, Path path) {
        boolean restored = restoreBestWeights && stopping.bestWeights() != null;
        if (restored) {
            try {
                save(phase, path, metadata(phase), epochs);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot save " + path + ": " + e.getMessage(), e);
            }
        }
        if (!phase.model().engine().verbose() || !restored && stopping.stoppedEpoch() == epochs) {
            return;
        }
        String kept = restored ? String.format("; it keeps the weights of epoch %d, the best (val_loss %.4f)", stopping.bestEpoch(),
                stopping.best()) : "";
        String after = stopping.stoppedEpoch() < epochs
                ? "; --resume trains on only with a larger --early-stopping, or without it" : "";
        System.out.printf("Early stopping %s after epoch %d of %d: val_loss has not improved in %d epochs%s%s%n", phase.name(),
                stopping.stoppedEpoch(), epochs, patience, kept, after);
    }

    /** Saves a model that was assembled rather than fitted (greedy without fine-tuning). */
    public Phase save(Model model, String name, String file, String description) {
        Phase phase = new Phase(name, description, model, batchSize(), file);
        phases.add(phase);
        epochsAtStart.put(name, 0);
        Path path = modelFile(file);
        try {
            save(phase, path, metadata(phase), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + path + ": " + e.getMessage(), e);
        }
        return phase;
    }

    /**
     * The phases after {@code upstream} learn from it: once it trained further in this run, what was saved of
     * them belongs to the old {@code upstream}, and they start over.
     */
    public void laterPhasesDependOn(Phase upstream) {
        if (resume && upstream.history().epochs().size() > epochsAtStart.getOrDefault(upstream.name(), 0)) {
            resume = false;
            if (upstream.model().engine().verbose()) {
                System.out.printf("%s trained further, so the phases after it start over%n", upstream.name());
            }
        }
    }

    /** Stops all saving (Ctrl-C), after any save in progress; returns what is on disk. */
    public Optional<Saved> stop() {
        synchronized (saving) {
            stopped = true;
            return Optional.ofNullable(lastSaved);
        }
    }

    private ModelFile.Metadata metadata(Phase phase) {
        return new ModelFile.Metadata(modelId, phase.name(), ENCODER_PARTS, settings).withData(scaler, sampleShape);
    }

    /**
     * Saves the phase once more, with its training rows' reconstruction errors at the percentiles 0, 0.1, …, 100,
     * measured after training, from which a scoring run takes its threshold.
     */
    public void saveWithErrorPercentiles(Phase phase, double[] errorPercentiles) throws IOException {
        save(phase, modelFile(phase.file()), metadata(phase).withErrorPercentiles(errorPercentiles), phase.history().epochs().size());
    }

    /** Writes the phase's file, unless the run was stopped; then records what is on disk and calls the listener. */
    private void save(Phase phase, Path path, ModelFile.Metadata meta, int epochsAsked) throws IOException {
        synchronized (saving) {
            if (stopped) {
                return;
            }
            EarlyStopping stopping = keepingBest.get(phase.name());
            ModelFile.save(phase.model(), path, meta, stopping == null || stopping.bestWeights() == null ? null
                    : new ModelFile.BestWeights(stopping.bestEpoch(), stopping.bestWeights()));
            lastSaved = new Saved(phase.name(), phase.history().epochs().size(), epochsAsked, path);
            if (listener != null) {
                listener.saved(this);
            }
        }
    }
}
