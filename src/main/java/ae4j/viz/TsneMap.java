package ae4j.viz;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYImageAnnotation;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The book's figure 17-5: the 2-D map of the codings, one colour per class with a legend of class names, and
 * thumbnails of some images (bordered in their class colour) placed where they do not overlap — the book's rule:
 * coordinates scaled to [0, 1], an image is placed when its squared distance to every placed one exceeds 0.02.
 */
public final class TsneMap {
    private static final double MIN_SQUARED_DISTANCE = 0.02;

    private TsneMap() {
    }

    /** @param map n×2 coordinates; labels 0..9; images n×784 pixels in [0, 1] (for the thumbnails) */
    public static BufferedImage render(String title, double[][] map, byte[] labels, List<String> classNames, float[][] images) {
        double[][] unit = scaledToUnitSquare(map);
        XYSeriesCollection data = new XYSeriesCollection();
        for (int c = 0; c < classNames.size(); c++) {
            data.addSeries(new XYSeries(classNames.get(c), false));
        }
        for (int i = 0; i < unit.length; i++) {
            data.getSeries(labels[i]).add(unit[i][0], unit[i][1]);
        }
        JFreeChart chart = ChartFactory.createScatterPlot(title, null, null, data, PlotOrientation.VERTICAL, true, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinesVisible(false);
        plot.setRangeGridlinesVisible(false);
        plot.getDomainAxis().setVisible(false);
        plot.getRangeAxis().setVisible(false);
        plot.getDomainAxis().setRange(-0.05, 1.05);
        plot.getRangeAxis().setRange(-0.05, 1.05);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        for (int c = 0; c < classNames.size(); c++) {
            renderer.setSeriesPaint(c, Palette.TAB10[c % Palette.TAB10.length]);
            renderer.setSeriesShape(c, new Ellipse2D.Double(-2.5, -2.5, 5, 5));
        }
        plot.setRenderer(renderer);
        for (int i : thumbnailPositions(unit)) {
            plot.addAnnotation(new XYImageAnnotation(unit[i][0], unit[i][1], thumbnail(images[i], Palette.TAB10[labels[i] % 10])));
        }
        LegendTitle legend = chart.getLegend();
        legend.setPosition(RectangleEdge.RIGHT);
        return Png.render(chart, 1200, 950);
    }

    /** The book's greedy placement: in data order, keep a point when it is far enough from every kept one. */
    static List<Integer> thumbnailPositions(double[][] unit) {
        List<double[]> placed = new ArrayList<>();
        placed.add(new double[]{1, 1});
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < unit.length; i++) {
            double nearest = Double.MAX_VALUE;
            for (double[] p : placed) {
                double dx = unit[i][0] - p[0];
                double dy = unit[i][1] - p[1];
                nearest = Math.min(nearest, dx * dx + dy * dy);
            }
            if (nearest > MIN_SQUARED_DISTANCE) {
                placed.add(unit[i]);
                chosen.add(i);
            }
        }
        return chosen;
    }

    /** Like the book, one scale for both axes: (x − min) / (max − min) over all coordinates. */
    static double[][] scaledToUnitSquare(double[][] map) {
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (double[] p : map) {
            for (double v : p) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        double range = max > min ? max - min : 1;
        double[][] unit = new double[map.length][2];
        for (int i = 0; i < map.length; i++) {
            unit[i][0] = (map[i][0] - min) / range;
            unit[i][1] = (map[i][1] - min) / range;
        }
        return unit;
    }

    private static BufferedImage thumbnail(float[] pixels, Color border) {
        BufferedImage digit = Palette.image(pixels, 28, 1);
        BufferedImage framed = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = framed.createGraphics();
        g.setColor(border);
        g.setStroke(new BasicStroke(2f));
        g.fillRect(0, 0, 32, 32);
        g.drawImage(digit, 2, 2, null);
        g.dispose();
        return framed;
    }
}
