package ae4j.viz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.Rng;
import ae4j.data.FashionMnist;
import ae4j.train.EpochLog;
import ae4j.train.History;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every figure is a real picture: the expected size, varied pixels, and the colours it should show. */
class FiguresTest {
    @TempDir
    Path dir;

    static float[][] images(int n, long seed) {
        Rng rng = new Rng(seed);
        float[][] x = new float[n][784];
        for (float[] row : x) {
            for (int p = 0; p < 784; p++) {
                row[p] = (float) rng.nextDouble();
            }
        }
        return x;
    }

    static double greyVariance(BufferedImage image) {
        double sum = 0;
        double sq = 0;
        int n = image.getWidth() * image.getHeight();
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                double v = image.getRGB(x, y) & 0xFF;
                sum += v;
                sq += v * v;
            }
        }
        return sq / n - (sum / n) * (sum / n);
    }

    static boolean hasColour(BufferedImage image, Color colour) {
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xFFFFFF) == (colour.getRGB() & 0xFFFFFF)) {
                    return true;
                }
            }
        }
        return false;
    }

    static BufferedImage roundTrip(BufferedImage image, Path file) throws IOException {
        Png.write(image, file);
        return ImageIO.read(file.toFile());
    }

    @Test
    void reconstructionsShowEveryImageCrispWithItsLoss() throws IOException {
        BufferedImage image = roundTrip(ReconstructionFigure.render("test", "original", images(5, 1), images(5, 2), new double[]{0.1, 0.2, 0.3, 0.4, 0.5}),
                dir.resolve("r.png"));
        assertEquals(120 + 5 * (140 + 12) + 12, image.getWidth(), "five 5×-enlarged columns beside the labels");
        assertTrue(greyVariance(image) > 100, "not a blank picture");
        BufferedImage one = Palette.image(images(1, 3)[0], 28, 5);
        for (int block = 0; block < 28; block++) {
            int x = block * 5;
            assertEquals(one.getRGB(x, 0), one.getRGB(x + 4, 4), "nearest-neighbour: each pixel is a flat 5×5 block");
        }
    }

    @Test
    void learningCurvesDrawTrainingAndValidationInTheirColours() throws IOException {
        History h = new History();
        for (int e = 1; e <= 5; e++) {
            h.add(new EpochLog(e, 0.5 / e, Map.of("rounded_accuracy", 0.8 + e / 100.0), 0.6 / e, Map.of("rounded_accuracy", 0.79 + e / 100.0), 1, 0.1));
        }
        BufferedImage image = roundTrip(LearningCurves.render("test", h), dir.resolve("c.png"));
        assertEquals(2 * 560, image.getWidth(), "loss and the metric side by side");
        assertTrue(hasColour(image, Palette.TAB10[0]) && hasColour(image, Palette.TAB10[1]), "both series drawn");
    }

    /** Epochs that logged their learning rate (a plateau schedule) add its curve, on a log scale, beside the others. */
    @Test
    void learningCurvesAddTheLearningRateWhereItWasLogged() throws IOException {
        History h = new History();
        for (int e = 1; e <= 6; e++) {
            h.add(new EpochLog(e, 0.5 / e, Map.of(), 0.6 / e, Map.of(), 1, 0.1).withLearningRate(e < 4 ? 0.1 : 0.01));
        }
        BufferedImage image = roundTrip(LearningCurves.render("test", h), dir.resolve("lr.png"));
        assertEquals(2 * 560, image.getWidth(), "loss and the learning rate side by side");
        assertTrue(greyVariance(image.getSubimage(560, 0, 560, image.getHeight())) > 100, "the rate's chart is drawn");
    }

    @Test
    void tsneMapColoursEveryClassAndPlacesThumbnailsApart() throws IOException {
        Rng rng = new Rng(4);
        int n = 300;
        double[][] map = new double[n][2];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            labels[i] = (byte) (i % 10);
            map[i][0] = labels[i] * 3 + rng.nextGaussian();
            map[i][1] = rng.nextGaussian() * 5;
        }
        BufferedImage image = roundTrip(TsneMap.render("test", map, labels, FashionMnist.CLASS_NAMES, images(n, 5)), dir.resolve("t.png"));
        for (Color c : Palette.TAB10) {
            assertTrue(hasColour(image, c), "class colour " + c);
        }
        double[][] unit = TsneMap.scaledToUnitSquare(map);
        List<Integer> placed = TsneMap.thumbnailPositions(unit);
        assertTrue(placed.size() > 5);
        for (int a : placed) {
            for (int b : placed) {
                double d = Math.pow(unit[a][0] - unit[b][0], 2) + Math.pow(unit[a][1] - unit[b][1], 2);
                assertTrue(a == b || d > 0.02, "thumbnails do not overlap");
            }
        }
    }

    @Test
    void linearFigureShowsBothPanels() throws IOException {
        double[][] data = ae4j.data.Synthetic3d.generate(60, 4);
        double[][] codings = new double[60][2];
        for (int i = 0; i < 60; i++) {
            codings[i] = new double[]{data[i][0], data[i][1]};
        }
        BufferedImage image = roundTrip(LinearFigure.render(data, codings, "codings"), dir.resolve("l.png"));
        assertEquals(1100, image.getWidth());
        assertTrue(hasColour(image, Palette.TAB10[0]) && hasColour(image, Color.BLACK), "codings in blue, data in black");
    }

    @Test
    void activationHistogramShowsBothPanelsAndTheMean() throws IOException {
        float[][] codings = images(40, 6);
        BufferedImage image = roundTrip(ActivationHistogram.render("test", ae4j.experiments.CodingActivity.of(codings)), dir.resolve("a.png"));
        assertEquals(2 * 560, image.getWidth(), "all activations beside the units' means");
        assertTrue(hasColour(image, Palette.TAB10[0]) && hasColour(image, Color.BLACK), "bars, and the dashed mean");
    }

    @Test
    void imageGridFramesTheChosenCells() throws IOException {
        boolean[] framed = new boolean[35];
        framed[0] = true;
        BufferedImage image = roundTrip(ImageGrid.render("test", images(35, 7), 7, framed), dir.resolve("g.png"));
        assertEquals(8 + 7 * (84 + 8), image.getWidth(), "7 columns of 3×-enlarged images");
        assertTrue(hasColour(image, Palette.TAB10[3]), "a frame");
        BufferedImage none = roundTrip(ImageGrid.render("test", images(12, 7), 4, new boolean[12]), dir.resolve("n.png"));
        assertTrue(!hasColour(none, Palette.TAB10[3]) && greyVariance(none) > 100, "images, no frame");
    }
}
