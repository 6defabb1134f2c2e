package ae4j.train;

/** Keras's callbacks: called after each epoch; {@link Model#stopTraining()} ends training after the current one. */
public interface Callback {
    void onEpochEnd(Model model, EpochLog log);

    /** Called once when fit returns normally (not when training diverged). */
    default void onTrainEnd(Model model) {
    }
}
