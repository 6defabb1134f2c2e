package ae4j.engine;

/**
 * The counter-based generator every noise layer draws from, the Java twin of {@code noise_key}/{@code noise_bits}
 * in native/include/ae4j_kernels.h (keep the two in step): each random number is a pure function of the model's
 * noise seed, the layer's index, the phase (training, evaluation, prediction), the step count t and the element's
 * position — the row's place in the batch when training, in the data otherwise — so that every engine, thread
 * split and chunking draws the same numbers, and a resumed run draws what the uninterrupted one would have.
 * <p>
 * Uniforms have 24 bits, exact in float32. Dropout keeps an element when its uniform is ≥ the rate, tested on the
 * integer bits. Normals come in Box–Muller pairs from one word: columns 2i and 2i + 1 of a row share pair i.
 */
public final class Noise {
    public static final int TRAIN = 0;
    public static final int EVALUATE = 1;
    public static final int PREDICT = 2;

    private static final long GAMMA = 0x9E3779B97F4A7C15L;

    private Noise() {
    }

    /** SplitMix64's finaliser. */
    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The stream of layer {@code layer} in one pass. */
    public static long key(long seed, int layer, int phase, long step) {
        long stream = mix(seed + GAMMA * (3L * layer + phase + 1));
        return mix(stream + GAMMA * step);
    }

    /** 64 random bits, number {@code index} of a stream. */
    public static long bits(long key, long index) {
        return mix(key + GAMMA * (index + 1));
    }

    /** Dropout keeps an element whose {@code bits >>> 40} is at least this: ceil(rate · 2^24). */
    public static long dropoutThreshold(double rate) {
        return (long) Math.ceil(rate * 0x1p24);
    }

    /** Whether dropout keeps element (row, col) of an n-wide layer. */
    public static boolean kept(long key, long row, int col, int n, long threshold) {
        return (bits(key, row * n + col) >>> 40) >= threshold;
    }

    /** The standard normal of element (row, col) of an n-wide layer. */
    public static double normal(long key, long row, int col, int n) {
        long word = bits(key, row * ((n + 1) / 2) + col / 2);
        double u1 = ((word >>> 40) + 1) * 0x1p-24;
        double u2 = ((word >>> 16) & 0xFFFFFFL) * 0x1p-24;
        double radius = Math.sqrt(-2 * Math.log(u1));
        double angle = 2 * Math.PI * u2;
        return radius * ((col & 1) == 0 ? Math.cos(angle) : Math.sin(angle));
    }

    /** The normals of rows [firstRow, firstRow + rows) of an n-wide layer, row-major. */
    public static double[] normals(long key, long firstRow, int rows, int n) {
        double[] z = new double[rows * n];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                z[r * n + j] = normal(key, firstRow + r, j, n);
            }
        }
        return z;
    }
}
