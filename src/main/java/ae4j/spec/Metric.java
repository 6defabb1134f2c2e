package ae4j.spec;

/** Metrics reported beside the loss, averaged over samples like Keras's. */
public enum Metric {
    /** The book's {@code rounded_accuracy}: binary accuracy of round(target) against round(prediction), per pixel. */
    ROUNDED_ACCURACY("rounded_accuracy"),
    /** Classification accuracy: argmax of the prediction equals argmax of the one-hot target. */
    ACCURACY("accuracy");

    public final String id;

    Metric(String id) {
        this.id = id;
    }

    public static Metric fromId(String id) {
        for (Metric m : values()) {
            if (m.id.equals(id)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric: " + id);
    }
}
