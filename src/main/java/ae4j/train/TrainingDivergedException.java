package ae4j.train;

/** The loss became NaN or infinite; the weights are unusable and nothing was saved after the last good epoch. */
public final class TrainingDivergedException extends RuntimeException {
    public TrainingDivergedException(String message) {
        super(message);
    }
}
