package ae4j.viz;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The book's figure 17-2: the 3-D dataset (drawn in an oblique projection: azimuth −60°, elevation 30°, like
 * matplotlib's default 3-D view) and the 2-D codings the linear autoencoder maps it to.
 */
public final class LinearFigure {
    private LinearFigure() {
    }

    public static BufferedImage render(double[][] data3d, double[][] codings, String codingsTitle) {
        double azimuth = Math.toRadians(-60);
        double elevation = Math.toRadians(30);
        XYSeries projected = new XYSeries("training set", false);
        for (double[] p : data3d) {
            double x = Math.cos(azimuth) * p[0] - Math.sin(azimuth) * p[1];
            double depth = Math.sin(azimuth) * p[0] + Math.cos(azimuth) * p[1];
            double y = Math.cos(elevation) * p[2] - Math.sin(elevation) * depth;
            projected.add(x, y);
        }
        XYSeries codes = new XYSeries("codings", false);
        for (double[] c : codings) {
            codes.add(c[0], c[1]);
        }
        JFreeChart left = scatter("3-D training set (oblique view)", projected, "", "", Color.BLACK);
        JFreeChart right = scatter(codingsTitle, codes, "z1", "z2", Palette.TAB10[0]);
        BufferedImage image = Png.canvas(1100, 480);
        Graphics2D g = Png.graphics(image);
        Png.draw(g, left, 0, 0, 550, 480);
        Png.draw(g, right, 550, 0, 550, 480);
        g.dispose();
        return image;
    }

    private static JFreeChart scatter(String title, XYSeries series, String xLabel, String yLabel, Color colour) {
        JFreeChart chart = ChartFactory.createScatterPlot(title, xLabel, yLabel, new XYSeriesCollection(series),
                PlotOrientation.VERTICAL, false, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(false, true);
        renderer.setSeriesPaint(0, colour);
        renderer.setSeriesShape(0, new Ellipse2D.Double(-3, -3, 6, 6));
        plot.setRenderer(renderer);
        return chart;
    }
}
