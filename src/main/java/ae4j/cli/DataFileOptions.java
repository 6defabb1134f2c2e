package ae4j.cli;

import ae4j.UserInputException;
import ae4j.data.DataReader;
import ae4j.data.DelimitedText;
import ae4j.data.FloatMatrix;
import ae4j.data.ReadOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.Option;

/** How to read a data file of your own (train custom, encode, score): what picocli fills into {@link ReadOptions}. */
class DataFileOptions {
    @Option(names = "--header", paramLabel = "yes|no",
            description = "Whether a CSV or TSV file's first line names its columns. Default: detected from that line.")
    String header;

    @Option(names = "--columns", paramLabel = "A,B|0,1",
            description = "The columns that are features, by name or by index from 0. Default: every column but the label column.")
    String columns;

    @Option(names = "--label-column", paramLabel = "C",
            description = "A column kept out of the features, by name or index: labels, used only in reports.")
    String labelColumn;

    @Option(names = "--array", paramLabel = "NAME", description = "The array of an .npz file to read.")
    String array;

    @Option(names = "--image-size", paramLabel = "HxW",
            description = "Resize every image of an image folder to H by W pixels (bilinear, as tf.image.resize).")
    String imageSize;

    ReadOptions readOptions() {
        ReadOptions options = ReadOptions.DEFAULTS;
        if (header != null) {
            options = options.withHeader(switch (header.toLowerCase(Locale.ROOT)) {
                case "yes" -> ReadOptions.Header.YES;
                case "no" -> ReadOptions.Header.NO;
                default -> throw new UserInputException("--header must be yes or no, not '" + header + "'");
            });
        }
        if (columns != null) {
            options = options.withColumns(Arrays.stream(columns.split(",", -1)).map(String::strip).toList());
        }
        if (labelColumn != null) {
            options = options.withLabelColumn(labelColumn);
        }
        if (array != null) {
            options = options.withArray(array);
        }
        if (imageSize != null) {
            options = options.withImageSize(ReadOptions.ImageSize.parse(imageSize));
        }
        return options;
    }

    /** Reads the file or folder that {@code flag} names. */
    FloatMatrix read(Path path, String flag) {
        requireExists(path, flag);
        return DataReader.read(path, readOptions());
    }

    /** Opens the CSV or TSV file that {@code flag} names to be read a block of rows at a time. */
    DelimitedText.RowBlocks blocks(Path path, String flag) {
        requireExists(path, flag);
        return DataReader.blocks(path, readOptions());
    }

    private static void requireExists(Path path, String flag) {
        if (path == null) {
            throw new UserInputException(flag + " FILE is required: a CSV or TSV file (optionally .gz), .npy, .npz, IDX, or a folder of images");
        }
        if (!Files.exists(path)) {
            throw new UserInputException(flag + " " + path + ": no such file or folder");
        }
    }
}
