package ae4j.data;

import java.util.Arrays;

/**
 * Per-feature scaling, fitted on the training rows only and applied to every row after: x' = (x − shift) / divisor.
 * A record of its kind and two arrays, so a model file can carry it and apply it again to raw data. A constant
 * feature gets divisor 1, as scikit-learn does, so it maps to 0 instead of dividing by zero.
 */
public record Scaler(Kind kind, float[] shift, float[] divisor) {
    public enum Kind {
        /** x unchanged. */
        NONE,
        /** (x − min) / (max − min): the training rows into [0, 1]. */
        MINMAX,
        /** (x − mean) / standard deviation (population, as scikit-learn's StandardScaler). */
        STANDARD
    }

    public Scaler {
        if (shift.length != divisor.length) {
            throw new IllegalArgumentException(shift.length + " shifts for " + divisor.length + " divisors");
        }
        for (float d : divisor) {
            if (!(d > 0) || !Float.isFinite(d)) {
                throw new IllegalArgumentException("divisors must be positive and finite: " + d);
            }
        }
        shift = shift.clone();
        divisor = divisor.clone();
    }

    /** Fits on {@code rows} of {@code data}; accumulates in double so long columns lose no precision. */
    /** {@link #fit(Kind, FloatMatrix, int[])} on every row. */
    public static Scaler fit(Kind kind, FloatMatrix data) {
        return fit(kind, data, java.util.stream.IntStream.range(0, Math.toIntExact(data.rows())).toArray());
    }

    public static Scaler fit(Kind kind, FloatMatrix data, int[] rows) {
        int cols = data.cols();
        double[] a = new double[cols];
        double[] b = new double[cols];
        if (kind == Kind.MINMAX) {
            Arrays.fill(a, Double.POSITIVE_INFINITY);
            Arrays.fill(b, Double.NEGATIVE_INFINITY);
        }
        float[] row = new float[cols];
        long n = 0;
        for (int r : kind == Kind.NONE ? new int[0] : rows) {
            data.row(r, row, 0);
            n++;
            for (int j = 0; j < cols; j++) {
                if (kind == Kind.MINMAX) {
                    a[j] = Math.min(a[j], row[j]);
                    b[j] = Math.max(b[j], row[j]);
                } else { // Welford: a = mean, b = sum of squared deviations
                    double delta = row[j] - a[j];
                    a[j] += delta / n;
                    b[j] += delta * (row[j] - a[j]);
                }
            }
        }
        float[] shift = new float[cols];
        float[] divisor = new float[cols];
        Arrays.fill(divisor, 1);
        if (kind != Kind.NONE && n == 0) {
            throw new IllegalArgumentException("a scaler needs at least one training row");
        }
        for (int j = 0; kind != Kind.NONE && j < cols; j++) {
            shift[j] = (float) a[j];
            double spread = kind == Kind.MINMAX ? b[j] - a[j] : Math.sqrt(b[j] / n);
            divisor[j] = spread > 0 && (float) spread > 0 ? (float) spread : 1;
        }
        return new Scaler(kind, shift, divisor);
    }

    public int cols() {
        return shift.length;
    }

    /** Scales {@code values[offset .. offset + cols())} in place. */
    public void apply(float[] values, int offset) {
        for (int j = 0; j < shift.length; j++) {
            values[offset + j] = (values[offset + j] - shift[j]) / divisor[j];
        }
    }

    /** Undoes {@link #apply}, for showing reconstructions in the data's own units. */
    public void invert(float[] values, int offset) {
        for (int j = 0; j < shift.length; j++) {
            values[offset + j] = values[offset + j] * divisor[j] + shift[j];
        }
    }

    /** {@code data} as it looks scaled, read through; a width other than the fitted one is refused. */
    public FloatMatrix applyTo(FloatMatrix data) {
        if (data.cols() != cols()) {
            throw new InvalidDataException(data.source(), "rows have " + data.cols() + " values but the scaler was fitted on "
                    + cols());
        }
        return new ScaledMatrix(data, this);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Scaler s && kind == s.kind && Arrays.equals(shift, s.shift) && Arrays.equals(divisor, s.divisor);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * kind.hashCode() + Arrays.hashCode(shift)) + Arrays.hashCode(divisor);
    }

    @Override
    public String toString() {
        return "Scaler[" + kind + ", shift=" + Arrays.toString(shift) + ", divisor=" + Arrays.toString(divisor) + "]";
    }

    @Override
    public float[] shift() {
        return shift.clone();
    }

    @Override
    public float[] divisor() {
        return divisor.clone();
    }

    private record ScaledMatrix(FloatMatrix base, Scaler scaler) implements FloatMatrix {
        @Override
        public String source() {
            return base.source();
        }

        @Override
        public long rows() {
            return base.rows();
        }

        @Override
        public int cols() {
            return base.cols();
        }

        @Override
        public int[] sampleShape() {
            return base.sampleShape();
        }

        @Override
        public void row(long r, float[] into, int offset) {
            base.row(r, into, offset);
            scaler.apply(into, offset);
        }

        @Override
        public void rows(long first, int count, float[] into, int offset) {
            base.rows(first, count, into, offset);
            for (int i = 0; i < count; i++) {
                scaler.apply(into, offset + i * cols());
            }
        }

        @Override
        public java.util.Optional<Labels> labels() {
            return base.labels();
        }
    }
}
