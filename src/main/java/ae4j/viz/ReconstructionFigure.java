package ae4j.viz;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * The book's figure 17-4: original images on the top row, their reconstructions below, crisp (nearest-neighbour
 * enlargement), with each image's loss under its pair. Figure 17-9 is the same with the noisy inputs of a denoising
 * autoencoder on top. Any image size and grey or RGB: the book's 28×28 grey images are enlarged 5×, others so that
 * their longer side is about as long.
 */
public final class ReconstructionFigure {
    /** The longer side of an enlarged image at most: the book's 28 pixels at 5×. */
    private static final int CELL = 28 * 5;
    /** The narrowest column, so that the loss under a narrow image fits. */
    private static final int MIN_COLUMN = 100;
    private static final int GAP = 12;
    private static final int LABEL_WIDTH = 120;

    private ReconstructionFigure() {
    }

    /** Fashion-MNIST: rows of 784 pixels in [0, 1], each with its binary cross-entropy. */
    public static BufferedImage render(String title, String inputLabel, float[][] inputs, float[][] reconstructions, double[] bce) {
        return render(title, inputLabel, ImageShape.FASHION_MNIST, inputs, reconstructions, "BCE", bce);
    }

    /** How many times images of {@code shape} are enlarged: whole pixels, the longer side at most {@link #CELL}, at least 1×. */
    public static int scale(ImageShape shape) {
        return Math.max(1, CELL / Math.max(shape.height(), shape.width()));
    }

    /**
     * Rows of {@code inputs} and {@code reconstructions} are images of {@code shape}, values in [0, 1] (outside it,
     * clipped); {@code losses} one per image, shown as "{@code lossName} 0.1234"; {@code inputLabel} names the top row
     * ("original", "noisy input").
     */
    public static BufferedImage render(String title, String inputLabel, ImageShape shape, float[][] inputs, float[][] reconstructions,
                                       String lossName, double[] losses) {
        int n = inputs.length;
        int scale = scale(shape);
        int cellWidth = shape.width() * scale;
        int cellHeight = shape.height() * scale;
        int column = Math.max(cellWidth, MIN_COLUMN);
        int width = LABEL_WIDTH + n * (column + GAP) + GAP;
        int height = 40 + 2 * cellHeight + GAP + 40;
        BufferedImage image = Png.canvas(width, height);
        Graphics2D g = Png.graphics(image);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 15));
        g.drawString(title, GAP, 26);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        int top = 40;
        g.drawString(inputLabel, GAP, top + cellHeight / 2);
        g.drawString("reconstruction", GAP, top + cellHeight + GAP + cellHeight / 2);
        FontMetrics metrics = g.getFontMetrics();
        for (int i = 0; i < n; i++) {
            int left = LABEL_WIDTH + GAP + i * (column + GAP);
            int x = left + (column - cellWidth) / 2;
            g.drawImage(Palette.image(inputs[i], shape, scale), x, top, null);
            g.drawImage(Palette.image(reconstructions[i], shape, scale), x, top + cellHeight + GAP, null);
            g.setColor(Color.LIGHT_GRAY);
            g.drawRect(x - 1, top - 1, cellWidth + 1, cellHeight + 1);
            g.drawRect(x - 1, top + cellHeight + GAP - 1, cellWidth + 1, cellHeight + 1);
            g.setColor(Color.BLACK);
            String label = String.format("%s %.4f", lossName, losses[i]);
            g.drawString(label, left + (column - metrics.stringWidth(label)) / 2, top + 2 * cellHeight + GAP + 22);
        }
        g.dispose();
        return image;
    }
}
