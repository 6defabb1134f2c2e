package ae4j.viz;

import ae4j.train.EpochLog;
import ae4j.train.History;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * Learning curves of any History: loss and validation loss per epoch, each metric beside it, and the learning rate
 * (on a log scale) where the History logged it.
 */
public final class LearningCurves {
    private LearningCurves() {
    }

    public static BufferedImage render(String title, History history) {
        List<EpochLog> epochs = history.epochs();
        List<String> metrics = epochs.isEmpty() ? List.of() : new ArrayList<>(epochs.get(0).metrics().keySet());
        List<JFreeChart> charts = new ArrayList<>();
        charts.add(chart(title + ": loss", epochs, "loss"));
        for (String m : metrics) {
            charts.add(chart(title + ": " + m, epochs, m));
        }
        if (epochs.stream().anyMatch(EpochLog::hasLearningRate)) {
            charts.add(learningRate(title + ": learning rate", epochs));
        }
        int width = 560;
        int height = 380;
        BufferedImage image = Png.canvas(width * charts.size(), height);
        Graphics2D g = Png.graphics(image);
        for (int i = 0; i < charts.size(); i++) {
            Png.draw(g, charts.get(i), i * width, 0, width, height);
        }
        g.dispose();
        return image;
    }

    private static JFreeChart learningRate(String title, List<EpochLog> epochs) {
        XYSeries rate = new XYSeries("lr");
        epochs.stream().filter(EpochLog::hasLearningRate).forEach(e -> rate.add(e.epoch(), e.learningRate()));
        JFreeChart chart = ChartFactory.createXYLineChart(title, "epoch", "lr", new XYSeriesCollection(rate), PlotOrientation.VERTICAL,
                true, false, false);
        XYPlot plot = style(chart);
        plot.setRangeAxis(new LogAxis("lr"));
        return chart;
    }

    private static JFreeChart chart(String title, List<EpochLog> epochs, String quantity) {
        XYSeries train = new XYSeries("training " + quantity);
        XYSeries valid = new XYSeries("validation " + quantity);
        for (EpochLog e : epochs) {
            train.add(e.epoch(), e.get(quantity));
            if (e.hasValidation()) {
                valid.add(e.epoch(), e.get("val_" + quantity));
            }
        }
        XYSeriesCollection data = new XYSeriesCollection(train);
        if (valid.getItemCount() > 0) {
            data.addSeries(valid);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "epoch", quantity, data, PlotOrientation.VERTICAL, true, false, false);
        ((NumberAxis) style(chart).getRangeAxis()).setAutoRangeIncludesZero(false);
        return chart;
    }

    /** The curves' look: white, grey grid lines, whole epochs, the training and validation series in their colours. */
    private static XYPlot style(JFreeChart chart) {
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(new Color(0xdddddd));
        plot.setRangeGridlinePaint(new Color(0xdddddd));
        ((NumberAxis) plot.getDomainAxis()).setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, true);
        renderer.setSeriesPaint(0, Palette.TAB10[0]);
        renderer.setSeriesPaint(1, Palette.TAB10[1]);
        renderer.setSeriesStroke(0, new BasicStroke(2f));
        renderer.setSeriesStroke(1, new BasicStroke(2f));
        plot.setRenderer(renderer);
        return plot;
    }
}
