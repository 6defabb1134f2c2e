package ae4j.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/**
 * Images in a grid, as the book shows what the variational autoencoder generates (figure 17-12) and its semantic
 * interpolation (figure 17-13), where the cells that hold the decoded original codings are framed.
 */
public final class ImageGrid {
    private static final int SIDE = 28;
    private static final int SCALE = 3;
    private static final int GAP = 8;
    private static final int TITLE = 36;

    private ImageGrid() {
    }

    /** Rows of {@code images} are 784 pixels in [0, 1], row-major in the grid; {@code framed[i]} frames image i. */
    public static BufferedImage render(String title, float[][] images, int cols, boolean[] framed) {
        int rows = (images.length + cols - 1) / cols;
        int cell = SIDE * SCALE;
        Font font = new Font(Font.SANS_SERIF, Font.BOLD, 14);
        int titleWidth = Png.graphics(Png.canvas(1, 1)).getFontMetrics(font).stringWidth(title);
        BufferedImage image = Png.canvas(Math.max(GAP + cols * (cell + GAP), titleWidth + 2 * GAP), TITLE + rows * (cell + GAP) + GAP);
        Graphics2D g = Png.graphics(image);
        g.setColor(Color.BLACK);
        g.setFont(font);
        g.drawString(title, GAP, 24);
        g.setStroke(new BasicStroke(2f));
        for (int i = 0; i < images.length; i++) {
            int x = GAP + (i % cols) * (cell + GAP);
            int y = TITLE + (i / cols) * (cell + GAP);
            g.drawImage(Palette.image(images[i], SIDE, SCALE), x, y, null);
            if (framed[i]) {
                g.setColor(Palette.TAB10[3]);
                g.drawRect(x - 2, y - 2, cell + 3, cell + 3);
            }
        }
        g.dispose();
        return image;
    }
}
