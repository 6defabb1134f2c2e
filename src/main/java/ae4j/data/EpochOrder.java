package ae4j.data;

import ae4j.Rng;

/**
 * The order in which one epoch visits the examples: a permutation of {@code 0..n-1}, drawn in place from a seeded
 * {@link Rng} at the start of each epoch, so the data themselves are never copied or moved. Each epoch starts from
 * the identity, so the order depends on the generator's state alone and a resumed run (which restores that state)
 * visits the same batches. Batches are consecutive slices; the last one may be short, as in Keras.
 */
public final class EpochOrder {
    private final int[] order;
    private final Rng rng;

    public EpochOrder(int size, Rng rng) {
        this.order = new int[size];
        this.rng = rng;
    }

    /** The permutation for the next epoch (the same array each time, owned by this object). */
    public int[] next() {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        rng.shuffle(order);
        return order;
    }

    public int size() {
        return order.length;
    }

    public static int batchCount(int size, int batchSize) {
        return (size + batchSize - 1) / batchSize;
    }
}
