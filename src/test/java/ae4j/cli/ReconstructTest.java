package ae4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ae4j.data.HeapFloatMatrix;
import ae4j.data.Npy;
import ae4j.data.TinyDataset;
import ae4j.viz.ImageShape;
import ae4j.viz.ReconstructionFigure;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reconstruct on models of train custom trained on images (an RGB image folder, a grey .npy of N×H×W×1 in 8-bit
 * values) draws them at their own size and channels, in the data's values; a model of sequences is refused; the
 * book's Fashion-MNIST figure keeps its layout.
 */
class ReconstructTest {
    static final int IMAGES = 48;
    /** The RGB images: wider than tall, so that a transposed drawing would show. */
    static final ImageShape RGB = new ImageShape(6, 10, 3);
    static final ImageShape GREY = new ImageShape(9, 7, 1);
    /** The figure's layout (ReconstructionFigure): labels on the left, 12 px gaps, a title band of 40 px. */
    static final int LABELS = 120;
    static final int GAP = 12;
    static final int TOP = 40;

    @TempDir
    static Path dir;

    @BeforeAll
    static void trainOnImages() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("rgb"));
        for (int i = 0; i < IMAGES; i++) {
            ImageIO.write(rgbImage(i), "png", folder.resolve(String.format("img%02d.png", i)).toFile());
        }
        train("rgb", "16,4");
        float[] grey = new float[IMAGES * GREY.values()];
        for (int i = 0; i < IMAGES; i++) {
            for (int r = 0; r < GREY.height(); r++) {
                for (int c = 0; c < GREY.width(); c++) {
                    grey[i * GREY.values() + r * GREY.width() + c] = greyValue(i, r, c);
                }
            }
        }
        Npy.write(dir.resolve("grey.npy"), new HeapFloatMatrix("grey", grey, IMAGES, new int[]{GREY.height(), GREY.width(), 1}, null));
        train("grey.npy", "8,3");
    }

    /** Red grows along x, green along y, blue with the image: every pixel's channels differ. */
    static BufferedImage rgbImage(int i) {
        BufferedImage image = new BufferedImage(RGB.width(), RGB.height(), BufferedImage.TYPE_INT_RGB);
        for (int r = 0; r < RGB.height(); r++) {
            for (int c = 0; c < RGB.width(); c++) {
                image.setRGB(c, r, (25 * c + 10) << 16 | (45 * r + 5) << 8 | (100 + 3 * i));
            }
        }
        return image;
    }

    /** 8-bit values (so the training scales them: standard), a ramp down and across, shifted by the image. */
    static float greyValue(int i, int r, int c) {
        return 30 + 18 * r + 8 * c + 5 * (i % 5);
    }

    static void train(String data, String layers) {
        Cli.run("train", "custom", "--data", dir.resolve(data).toString(), "--layers", layers, "--epochs", "3", "--engine", "nd4j",
                "--out", dir.resolve("run-" + data).toString()).assertOk();
    }

    static BufferedImage reconstruct(String data, int n) throws IOException {
        Path png = dir.resolve(data + "-" + n + ".png");
        Cli.Result r = Cli.run("reconstruct", "--model", dir.resolve("run-" + data + "/model.zip").toString(), "--data",
                dir.resolve(data).toString(), "--n", Integer.toString(n), "--out", png.toString()).assertOk();
        assertTrue(r.out().contains("Wrote " + png), r.out());
        return ImageIO.read(png.toFile());
    }

    /** Two rows of n cells, each cell the image enlarged as the figure enlarges its shape, at least 100 px wide. */
    static void assertGrid(BufferedImage figure, ImageShape shape, int n) {
        int scale = ReconstructionFigure.scale(shape);
        assertTrue(scale > 1 && Math.max(shape.height(), shape.width()) * scale <= 140, "small images are enlarged, whole pixels: " + scale);
        int column = Math.max(shape.width() * scale, 100);
        assertEquals(LABELS + n * (column + GAP) + GAP, figure.getWidth(), "width");
        assertEquals(TOP + 2 * shape.height() * scale + GAP + 40, figure.getHeight(), "height");
    }

    /** The centre of pixel (r, c) of image i, on the top row (the inputs) or below (the reconstructions). */
    static int pixel(BufferedImage figure, ImageShape shape, int i, boolean reconstruction, int r, int c) {
        int scale = ReconstructionFigure.scale(shape);
        int column = Math.max(shape.width() * scale, 100);
        int x = LABELS + GAP + i * (column + GAP) + (column - shape.width() * scale) / 2;
        int y = TOP + (reconstruction ? shape.height() * scale + GAP : 0);
        return figure.getRGB(x + c * scale + scale / 2, y + r * scale + scale / 2) & 0xFFFFFF;
    }

    static int channel(int rgb, int k) {
        return rgb >> (16 - 8 * k) & 0xFF;
    }

    @Test
    void rgbImagesAreDrawnInTheirOwnSizeAndColours() throws IOException {
        int n = 4;
        BufferedImage figure = reconstruct("rgb", n);
        assertGrid(figure, RGB, n);
        for (int i = 0; i < n; i++) {
            BufferedImage original = rgbImage(i);
            for (int r = 0; r < RGB.height(); r++) {
                for (int c = 0; c < RGB.width(); c++) {
                    assertEquals(original.getRGB(c, r) & 0xFFFFFF, pixel(figure, RGB, i, false, r, c), "image " + i + " pixel " + r + "," + c);
                }
            }
        }
        int coloured = 0;
        for (int y = 0; y < figure.getHeight(); y++) {
            for (int x = 0; x < figure.getWidth(); x++) {
                int rgb = figure.getRGB(x, y);
                coloured += channel(rgb, 0) != channel(rgb, 1) || channel(rgb, 1) != channel(rgb, 2) ? 1 : 0;
            }
        }
        int cells = 2 * n * RGB.height() * RGB.width() * ReconstructionFigure.scale(RGB) * ReconstructionFigure.scale(RGB);
        assertTrue(coloured > cells / 2, coloured + " coloured pixels of " + cells + " in the cells: the channels differ");
    }

    /**
     * Grey images in the "binary" map, their 8-bit values shown as such; the reconstructions, made in the standard
     * scaling, are shown in the same values (the scaling undone), so their shade is the inputs'.
     */
    @Test
    void greyImagesAreDrawnInTheDatasValues() throws IOException {
        int n = 3;
        BufferedImage figure = reconstruct("grey.npy", n);
        assertGrid(figure, GREY, n);
        for (int y = 0; y < figure.getHeight(); y++) {
            for (int x = 0; x < figure.getWidth(); x++) {
                int rgb = figure.getRGB(x, y);
                assertTrue(channel(rgb, 0) == channel(rgb, 1) && channel(rgb, 1) == channel(rgb, 2), "grey at " + x + "," + y);
            }
        }
        for (int i = 0; i < n; i++) {
            double inputShade = 0;
            double reconstructionShade = 0;
            for (int r = 0; r < GREY.height(); r++) {
                for (int c = 0; c < GREY.width(); c++) {
                    int input = pixel(figure, GREY, i, false, r, c);
                    assertEquals(255 - (int) greyValue(i, r, c), channel(input, 0), "image " + i + " pixel " + r + "," + c);
                    inputShade += channel(input, 0);
                    reconstructionShade += channel(pixel(figure, GREY, i, true, r, c), 0);
                }
            }
            int pixels = GREY.height() * GREY.width();
            assertEquals(inputShade / pixels, reconstructionShade / pixels, 40, "image " + i + ": the reconstruction's mean shade");
        }
    }

    @Test
    void aModelOfSequencesIsRefusedSayingWhatReconstructDraws() throws IOException {
        float[] values = new float[40 * 5 * 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = (i * 7 % 11) / 11f;
        }
        Npy.write(dir.resolve("sequences.npy"), new HeapFloatMatrix("sequences", values, 40, new int[]{5, 4}, null));
        train("sequences.npy", "6,2");
        Path png = dir.resolve("sequences.png");
        Cli.run("reconstruct", "--model", dir.resolve("run-sequences.npy/model.zip").toString(), "--data",
                dir.resolve("sequences.npy").toString(), "--out", png.toString())
                .assertUsageError("samples of shape [5, 4], not images; reconstruct draws images");
        assertTrue(!Files.exists(png));
    }

    @Test
    void noDataOrMoreImagesThanItHoldsAreRefused() {
        String model = dir.resolve("run-rgb/model.zip").toString();
        Cli.run("reconstruct", "--model", model).assertUsageError("--data FILE is required");
        Cli.run("reconstruct", "--model", model, "--data", dir.resolve("rgb").toString(), "--n", "49")
                .assertUsageError("--n must be between 1 and 48");
    }

    /** The book's figure 17-4 keeps its layout: five 28×28 images at 5×, BCE under each. */
    @Test
    void aRecipesModelStillDrawsFashionMnist() throws IOException {
        Path tiny = TinyDataset.write(Files.createDirectories(dir.resolve("tiny")), 240, 60, true);
        Cli.run("train", "stacked", "--epochs", "1", "--data", tiny.toString(), "--out", dir.resolve("stacked").toString()).assertOk();
        Path png = dir.resolve("stacked.png");
        Cli.run("reconstruct", "--model", dir.resolve("stacked/model.zip").toString(), "--data", tiny.toString(), "--out", png.toString())
                .assertOk();
        BufferedImage figure = ImageIO.read(png.toFile());
        assertEquals(LABELS + 5 * (28 * 5 + GAP) + GAP, figure.getWidth());
        assertEquals(TOP + 2 * 28 * 5 + GAP + 40, figure.getHeight());
    }
}
