package ae4j.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * A folder of PNG or JPEG images, one row per image of shape [H, W, C], pixels divided by their maximum into
 * [0, 1]. Subfolders, when present, are the classes: each image's label is its subfolder's name. Files are taken
 * in name order, so the rows are the same on every machine; hidden files and other extensions are skipped.
 *
 * <p>Grayscale images give one channel, colour images three (alpha is dropped). A set with any colour image is
 * read as RGB and its grayscale images are converted (gray copied into R, G and B), which loses nothing. Without
 * an image size every image must have the first one's; with one, each is resized as {@link ImageResize} does.
 */
public final class ImageFolder {
    /** The most pixels one image may declare, checked before it is decoded. */
    static final long MAX_PIXELS = 1L << 26;

    private ImageFolder() {
    }

    private record Item(Path file, String label) {
    }

    public static HeapFloatMatrix read(Path folder, ReadOptions.ImageSize size) {
        List<Item> items = list(folder);
        List<float[]> pixels = new ArrayList<>(items.size());
        List<Integer> channelCounts = new ArrayList<>(items.size());
        int height = size == null ? -1 : size.height();
        int width = size == null ? -1 : size.width();
        Path first = null;
        for (Item item : items) {
            BufferedImage image = decode(item.file());
            int channels = isGray(image) ? 1 : 3;
            float[] values = toUnitFloats(image, channels);
            if (size != null) {
                if (image.getHeight() != height || image.getWidth() != width) {
                    values = ImageResize.bilinear(values, image.getHeight(), image.getWidth(), channels, height, width);
                }
            } else if (first == null) {
                first = item.file();
                height = image.getHeight();
                width = image.getWidth();
            } else if (image.getHeight() != height || image.getWidth() != width) {
                throw new InvalidDataException(item.file().toString(), String.format(
                        "is %d×%d (H×W) but %s is %d×%d; give an image size to resize them all", image.getHeight(),
                        image.getWidth(), folder.relativize(first), height, width));
            }
            pixels.add(values);
            channelCounts.add(channels);
        }
        int channels = channelCounts.contains(3) ? 3 : 1;
        long total = (long) items.size() * height * width * channels;
        if (total > HeapFloatMatrix.MAX_ELEMENTS) {
            throw new InvalidDataException(folder.toString(), String.format("%,d images of %d×%d×%d are more values than one Java array holds",
                    items.size(), height, width, channels));
        }
        int cols = height * width * channels;
        float[] all = new float[(int) total];
        for (int i = 0; i < pixels.size(); i++) {
            float[] image = pixels.get(i);
            if (channelCounts.get(i) == channels) {
                System.arraycopy(image, 0, all, i * cols, cols);
            } else {
                for (int p = 0; p < image.length; p++) {
                    all[i * cols + 3 * p] = all[i * cols + 3 * p + 1] = all[i * cols + 3 * p + 2] = image[p];
                }
            }
            pixels.set(i, null); // each image's own array can go once copied
        }
        boolean classes = items.get(0).label() != null;
        return new HeapFloatMatrix(folder.toString(), all, items.size(), new int[] {height, width, channels},
                classes ? Labels.of(items.stream().map(Item::label).toList()) : null);
    }

    private static List<Item> list(Path folder) {
        List<Path> entries = sortedEntries(folder);
        List<Path> subfolders = entries.stream().filter(Files::isDirectory).toList();
        List<Path> images = entries.stream().filter(ImageFolder::isImageFile).toList();
        List<Item> items = new ArrayList<>();
        if (subfolders.isEmpty()) {
            images.forEach(image -> items.add(new Item(image, null)));
        } else {
            if (!images.isEmpty()) {
                throw new InvalidDataException(images.get(0).toString(),
                        "lies beside class folders; put every image in a class folder, or none");
            }
            for (Path sub : subfolders) {
                String label = sub.getFileName().toString();
                sortedEntries(sub).stream().filter(ImageFolder::isImageFile).forEach(image -> items.add(new Item(image, label)));
            }
        }
        if (items.isEmpty()) {
            throw new InvalidDataException(folder.toString(), "holds no PNG or JPEG images");
        }
        return items;
    }

    private static List<Path> sortedEntries(Path folder) {
        try (Stream<Path> entries = Files.list(folder)) {
            return entries.filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            throw new InvalidDataException(folder.toString(), "cannot list (" + e.getMessage() + ")");
        }
    }

    private static boolean isImageFile(Path file) {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        return Files.isRegularFile(file) && (name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"));
    }

    /** Decodes after checking the declared size, so a small file declaring a huge image is refused unread. */
    private static BufferedImage decode(Path file) {
        try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new InvalidDataException(file.toString(), "not a PNG or JPEG image");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                long pixels = (long) reader.getWidth(0) * reader.getHeight(0);
                if (pixels > MAX_PIXELS) {
                    throw new InvalidDataException(file.toString(), String.format("declares %d×%d pixels, over the limit of %,d",
                            reader.getHeight(0), reader.getWidth(0), MAX_PIXELS));
                }
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof InvalidDataException invalid) {
                throw invalid;
            }
            throw new InvalidDataException(file.toString(), "corrupt image (" + e.getMessage() + ")");
        }
    }

    private static boolean isGray(BufferedImage image) {
        return image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
                && image.getColorModel().getNumColorComponents() == 1;
    }

    private static float[] toUnitFloats(BufferedImage image, int channels) {
        int height = image.getHeight();
        int width = image.getWidth();
        float[] values = new float[height * width * channels];
        if (channels == 1) {
            Raster raster = image.getRaster();
            float max = (1 << image.getColorModel().getComponentSize(0)) - 1; // 255 for 8-bit gray, 65535 for 16-bit
            for (int y = 0; y < height; y++) {
                for (int x = 0; x < width; x++) {
                    values[y * width + x] = raster.getSample(x, y, 0) / max;
                }
            }
            return values;
        }
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                int at = (y * width + x) * 3;
                values[at] = ((rgb >> 16) & 0xFF) / 255f;
                values[at + 1] = ((rgb >> 8) & 0xFF) / 255f;
                values[at + 2] = (rgb & 0xFF) / 255f;
            }
        }
        return values;
    }
}
