package ae4j.viz;

import java.util.Optional;

/**
 * The shape of the images a figure draws: height, width and channels (1: grey, 3: RGB), each image's values row-major
 * with the channels innermost, as a sample of shape [H, W, C] is flattened.
 */
public record ImageShape(int height, int width, int channels) {
    public static final ImageShape FASHION_MNIST = new ImageShape(28, 28, 1);

    public ImageShape {
        if (height < 1 || width < 1 || (channels != 1 && channels != 3)) {
            throw new IllegalArgumentException("an image is H×W×1 or H×W×3, not " + height + "×" + width + "×" + channels);
        }
    }

    /**
     * The images of a sample shape [H, W, C] with C = 1 or 3, the shape ae4j's readers give images (an image folder,
     * IDX images, a .npy of N×H×W×C); empty for any other shape: a table's [F], a 3-D array's [T, F], ...
     */
    public static Optional<ImageShape> of(int[] sampleShape) {
        if (sampleShape.length != 3 || sampleShape[0] < 1 || sampleShape[1] < 1 || (sampleShape[2] != 1 && sampleShape[2] != 3)) {
            return Optional.empty();
        }
        return Optional.of(new ImageShape(sampleShape[0], sampleShape[1], sampleShape[2]));
    }

    /** Values per image. */
    public int values() {
        return height * width * channels;
    }

    @Override
    public String toString() {
        return height + "×" + width + (channels == 3 ? " RGB" : " grey");
    }
}
