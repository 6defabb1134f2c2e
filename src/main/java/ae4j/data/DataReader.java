package ae4j.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Reads a user's data file into a {@link FloatMatrix}, choosing the format by the name: {@code .csv}, {@code .tsv}
 * (each optionally {@code .gz}), {@code .npy} (memory-mapped), {@code .npz}, an IDX file ({@code *-ubyte} or
 * {@code .idx}, optionally {@code .gz}), or a folder of PNG/JPEG images.
 */
public final class DataReader {
    private DataReader() {
    }

    public static FloatMatrix read(Path path, ReadOptions options) {
        if (Files.isDirectory(path)) {
            return ImageFolder.read(path, options.imageSize());
        }
        if (!Files.isRegularFile(path)) {
            throw new InvalidDataException(path.toString(), "no such file or folder");
        }
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        Character separator = separator(path);
        if (separator != null) {
            return DelimitedText.read(path, separator, options);
        }
        if (base.endsWith("-ubyte") || base.endsWith(".idx")) {
            return Idx.readMatrix(path);
        }
        if (name.endsWith(".npy")) {
            return Npy.map(path);
        }
        if (name.endsWith(".npz")) {
            return Npy.readNpz(path, options.array());
        }
        throw unknownFormat(path);
    }

    /** Whether {@code path} names a CSV or TSV file (optionally .gz), which {@link #blocks} reads. */
    public static boolean isDelimitedText(Path path) {
        return separator(path) != null;
    }

    /** A CSV or TSV file's rows a block at a time (see {@link DelimitedText#blocks}). */
    public static DelimitedText.RowBlocks blocks(Path path, ReadOptions options) {
        if (!Files.isRegularFile(path)) {
            throw new InvalidDataException(path.toString(), "no such file");
        }
        Character separator = separator(path);
        if (separator == null) {
            throw unknownFormat(path);
        }
        return DelimitedText.blocks(path, separator, options);
    }

    /** ',' for a .csv, a tab for a .tsv (each optionally .gz), else null. */
    private static Character separator(Path path) {
        String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
        String base = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
        return base.endsWith(".csv") ? Character.valueOf(',') : base.endsWith(".tsv") ? Character.valueOf('\t') : null;
    }

    private static InvalidDataException unknownFormat(Path path) {
        return new InvalidDataException(path.toString(), "unknown data format; ae4j reads .csv, .tsv (optionally .gz), .npy, "
                + ".npz, IDX (*-ubyte, .idx) and folders of PNG/JPEG images");
    }
}
