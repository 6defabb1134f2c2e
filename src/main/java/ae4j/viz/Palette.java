package ae4j.viz;

import java.awt.Color;
import java.awt.image.BufferedImage;

/** Colours and image rendering shared by the figures: matplotlib's tab10 and its "binary" colour map. */
public final class Palette {
    /** matplotlib's tab10, the book's class colours. */
    public static final Color[] TAB10 = {
            new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728), new Color(0x9467bd),
            new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f), new Color(0xbcbd22), new Color(0x17becf)};

    private Palette() {
    }

    /** A side×side grey image: {@link #image(float[], ImageShape, int)}. */
    public static BufferedImage image(float[] pixels, int side, int scale) {
        return image(pixels, new ImageShape(side, side, 1), scale);
    }

    /**
     * An image of {@code shape} (values in [0, 1], clipped) as matplotlib's {@code imshow} draws it: a grey one in the
     * book's "binary" map (0 white, 1 black), an RGB one in its colours; enlarged {@code scale} times by nearest
     * neighbour so that pixels stay crisp.
     */
    public static BufferedImage image(float[] pixels, ImageShape shape, int scale) {
        int channels = shape.channels();
        BufferedImage image = new BufferedImage(shape.width() * scale, shape.height() * scale, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < shape.height(); r++) {
            for (int c = 0; c < shape.width(); c++) {
                int at = (r * shape.width() + c) * channels;
                int rgb;
                if (channels == 1) {
                    int grey = Math.round(255 * (1 - clipped(pixels[at])));
                    rgb = (grey << 16) | (grey << 8) | grey;
                } else {
                    rgb = (Math.round(255 * clipped(pixels[at])) << 16) | (Math.round(255 * clipped(pixels[at + 1])) << 8)
                            | Math.round(255 * clipped(pixels[at + 2]));
                }
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        image.setRGB(c * scale + dx, r * scale + dy, rgb);
                    }
                }
            }
        }
        return image;
    }

    private static float clipped(float v) {
        return Math.max(0f, Math.min(1f, v));
    }
}
