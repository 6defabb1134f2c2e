package ae4j.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * The book's figure 17-4: original images on the top row, their reconstructions below, crisp (nearest-neighbour
 * enlargement), with each image's binary cross-entropy under its pair. Figure 17-9 is the same with the noisy
 * inputs of a denoising autoencoder on top.
 */
public final class ReconstructionFigure {
    private static final int SIDE = 28;
    private static final int SCALE = 5;
    private static final int GAP = 12;
    private static final int LABEL_WIDTH = 120;

    private ReconstructionFigure() {
    }

    /**
     * Rows of {@code inputs} and {@code reconstructions} are 784 pixels in [0, 1] (outside it, clipped);
     * {@code bce} one per image; {@code inputLabel} names the top row ("original", "noisy input").
     */
    public static BufferedImage render(String title, String inputLabel, float[][] inputs, float[][] reconstructions, double[] bce) {
        int n = inputs.length;
        int cell = SIDE * SCALE;
        int width = LABEL_WIDTH + n * (cell + GAP) + GAP;
        int height = 40 + 2 * cell + GAP + 40;
        BufferedImage image = Png.canvas(width, height);
        Graphics2D g = Png.graphics(image);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, GAP, 26);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int top = 40;
        g.drawString(inputLabel, GAP, top + cell / 2);
        g.drawString("reconstruction", GAP, top + cell + GAP + cell / 2);
        FontMetrics metrics = g.getFontMetrics();
        for (int i = 0; i < n; i++) {
            int x = LABEL_WIDTH + GAP + i * (cell + GAP);
            g.drawImage(Palette.image(inputs[i], SIDE, SCALE), x, top, null);
            g.drawImage(Palette.image(reconstructions[i], SIDE, SCALE), x, top + cell + GAP, null);
            g.setColor(Color.LIGHT_GRAY);
            g.drawRect(x - 1, top - 1, cell + 1, cell + 1);
            g.drawRect(x - 1, top + cell + GAP - 1, cell + 1, cell + 1);
            g.setColor(Color.BLACK);
            String label = String.format("BCE %.4f", bce[i]);
            g.drawString(label, x + (cell - metrics.stringWidth(label)) / 2, top + 2 * cell + GAP + 22);
        }
        g.dispose();
        return image;
    }
}
