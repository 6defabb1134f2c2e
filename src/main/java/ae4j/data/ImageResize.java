package ae4j.data;

/**
 * Bilinear resizing exactly as {@code tf.image.resize} does it by default: half-pixel centers (output pixel i
 * samples the input at (i + 0.5)·in/out − 0.5), neighbours clamped to the edge, no antialiasing.
 */
public final class ImageResize {
    private ImageResize() {
    }

    /** Resizes an H×W×C image, row-major with channels last, to newHeight×newWidth×C. */
    public static float[] bilinear(float[] image, int height, int width, int channels, int newHeight, int newWidth) {
        if ((long) height * width * channels != image.length) {
            throw new IllegalArgumentException(image.length + " values are not " + height + "×" + width + "×" + channels);
        }
        float[] out = new float[Math.multiplyExact(Math.multiplyExact(newHeight, newWidth), channels)];
        for (int r = 0; r < newHeight; r++) {
            Lerp y = Lerp.of(r, height, newHeight);
            for (int c = 0; c < newWidth; c++) {
                Lerp x = Lerp.of(c, width, newWidth);
                int topLeft = (y.lower * width + x.lower) * channels;
                int topRight = (y.lower * width + x.upper) * channels;
                int bottomLeft = (y.upper * width + x.lower) * channels;
                int bottomRight = (y.upper * width + x.upper) * channels;
                int at = (r * newWidth + c) * channels;
                for (int k = 0; k < channels; k++) {
                    double top = image[topLeft + k] + (image[topRight + k] - image[topLeft + k]) * x.weight;
                    double bottom = image[bottomLeft + k] + (image[bottomRight + k] - image[bottomLeft + k]) * x.weight;
                    out[at + k] = (float) (top + (bottom - top) * y.weight);
                }
            }
        }
        return out;
    }

    /** One output index's two input neighbours and the weight of the upper one. */
    private record Lerp(int lower, int upper, double weight) {
        static Lerp of(int i, int in, int out) {
            double source = (i + 0.5) * in / out - 0.5;
            double floor = Math.floor(source);
            return new Lerp(Math.max((int) floor, 0), Math.min((int) Math.ceil(source), in - 1), source - floor);
        }
    }
}
