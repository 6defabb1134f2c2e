package ae4j.data;

import ae4j.Rng;
import java.util.Arrays;

/**
 * Training and validation rows: a seeded shuffle of the row indices, then the last {@code fraction} of them are
 * the validation rows (Keras's validation_split takes the last fraction without shuffling; shuffling first keeps a
 * sorted file from putting one class in validation). The same rows, seed and fraction give the same split.
 */
public record ValidationSplit(int[] train, int[] validation) {
    public static ValidationSplit of(long rows, double fraction, long seed) {
        if (!(fraction >= 0 && fraction < 1)) {
            throw new IllegalArgumentException("validation fraction must be in [0, 1): " + fraction);
        }
        if (rows > HeapFloatMatrix.MAX_ELEMENTS) {
            throw new IllegalArgumentException("too many rows to index: " + rows);
        }
        int[] order = new int[(int) rows];
        Arrays.setAll(order, i -> i);
        new Rng(seed).shuffle(order);
        int trainSize = (int) Math.round(rows * (1 - fraction));
        if (fraction > 0 && (trainSize == 0 || trainSize == rows)) {
            throw new ae4j.UserInputException(String.format("a validation split of %s leaves %s of %,d rows empty",
                    fraction, trainSize == 0 ? "the training part" : "the validation part", rows));
        }
        return new ValidationSplit(Arrays.copyOf(order, trainSize), Arrays.copyOfRange(order, trainSize, order.length));
    }

    public FloatMatrix train(FloatMatrix all) {
        return all.select(train);
    }

    public FloatMatrix validation(FloatMatrix all) {
        return all.select(validation);
    }
}
