package ae4j.viz;

import ae4j.AtomicFile;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;

/** PNG output: charts rendered off-screen, images written atomically. */
public final class Png {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    private Png() {
    }

    public static void write(BufferedImage image, Path file) throws IOException {
        AtomicFile.write(file, tmp -> {
            if (!ImageIO.write(image, "png", tmp.toFile())) {
                throw new IOException("no PNG writer available");
            }
        });
    }

    /** A white canvas with anti-aliased drawing. */
    public static BufferedImage canvas(int width, int height) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = graphics(image);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.dispose();
        return image;
    }

    public static Graphics2D graphics(BufferedImage image) {
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        return g;
    }

    /** Draws {@code chart} into a {@code width × height} area of {@code g} at (x, y). */
    public static void draw(Graphics2D g, JFreeChart chart, int x, int y, int width, int height) {
        chart.draw(g, new Rectangle2D.Double(x, y, width, height));
    }

    public static BufferedImage render(JFreeChart chart, int width, int height) {
        BufferedImage image = canvas(width, height);
        Graphics2D g = graphics(image);
        draw(g, chart, 0, 0, width, height);
        g.dispose();
        return image;
    }
}
