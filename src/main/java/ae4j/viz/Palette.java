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

    /**
     * A 28×28 image (pixels in [0, 1], row-major) in the book's "binary" map (0 white, 1 black), enlarged
     * {@code scale} times by nearest neighbour so that pixels stay crisp.
     */
    public static BufferedImage image(float[] pixels, int side, int scale) {
        BufferedImage image = new BufferedImage(side * scale, side * scale, BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < side; r++) {
            for (int c = 0; c < side; c++) {
                float v = Math.max(0f, Math.min(1f, pixels[r * side + c]));
                int grey = Math.round(255 * (1 - v));
                int rgb = (grey << 16) | (grey << 8) | grey;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        image.setRGB(c * scale + dx, r * scale + dy, rgb);
                    }
                }
            }
        }
        return image;
    }
}
