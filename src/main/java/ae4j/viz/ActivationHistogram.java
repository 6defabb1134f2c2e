package ae4j.viz;

import ae4j.experiments.CodingActivity;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.StandardXYBarPainter;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The book's figures 17-10 and 17-11 ({@code plot_activations_histogram}): left, the share of all the coding
 * layer's activations in each tenth of [0, 1]; right, the share of its units whose mean activation falls there;
 * both with the overall mean activation as a dashed line.
 */
public final class ActivationHistogram {
    private static final int WIDTH = 560;
    private static final int HEIGHT = 380;

    private ActivationHistogram() {
    }

    public static BufferedImage render(String title, CodingActivity activity) {
        BufferedImage image = Png.canvas(2 * WIDTH, HEIGHT);
        Graphics2D g = Png.graphics(image);
        Png.draw(g, chart(String.format("%s: %,d activations", title, (long) activity.units() * activity.images()), "activation",
                "% activations", activity.activationShares(), activity.meanActivation()), 0, 0, WIDTH, HEIGHT);
        Png.draw(g, chart(String.format("the %d units' mean activations", activity.units()), "unit's mean activation", "% units",
                activity.unitMeanShares(), activity.meanActivation()), WIDTH, 0, WIDTH, HEIGHT);
        g.dispose();
        return image;
    }

    private static JFreeChart chart(String title, String xLabel, String yLabel, double[] shares, double mean) {
        XYSeries bars = new XYSeries(yLabel);
        double width = 1.0 / shares.length;
        for (int i = 0; i < shares.length; i++) {
            bars.add((i + 0.5) * width, 100 * shares[i]);
        }
        XYSeriesCollection data = new XYSeriesCollection(bars);
        data.setIntervalWidth(0.8 * width);
        JFreeChart chart = ChartFactory.createXYBarChart(title, xLabel, false, yLabel, data, PlotOrientation.VERTICAL, false, false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        NumberAxis x = (NumberAxis) plot.getDomainAxis();
        x.setRange(0, 1);
        x.setTickUnit(new org.jfree.chart.axis.NumberTickUnit(width));
        ((NumberAxis) plot.getRangeAxis()).setRange(0, 100);
        XYBarRenderer renderer = (XYBarRenderer) plot.getRenderer();
        renderer.setBarPainter(new StandardXYBarPainter());
        renderer.setShadowVisible(false);
        renderer.setSeriesPaint(0, Palette.TAB10[0]);
        ValueMarker marker = new ValueMarker(mean, Color.BLACK,
                new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[]{6f, 4f}, 0f));
        marker.setLabel(String.format("overall mean %.3f", mean));
        marker.setLabelFont(new java.awt.Font(java.awt.Font.SANS_SERIF, java.awt.Font.PLAIN, 13));
        marker.setLabelAnchor(org.jfree.chart.ui.RectangleAnchor.TOP_RIGHT);
        marker.setLabelTextAnchor(org.jfree.chart.ui.TextAnchor.TOP_LEFT);
        marker.setLabelOffset(new org.jfree.chart.ui.RectangleInsets(8, 6, 8, 6));
        plot.addDomainMarker(marker);
        return chart;
    }
}
