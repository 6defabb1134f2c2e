package ae4j.data;

import java.util.List;

/**
 * How {@link DataReader} reads a file; each option applies to the formats that have it, the rest ignore it.
 *
 * @param header      CSV/TSV: whether the first row names the columns
 * @param columns     CSV/TSV: the feature columns, each a header name or a 0-based index; null for every column
 *                    but the label
 * @param labelColumn CSV/TSV: a column (name or 0-based index) kept out of the features and returned as labels;
 *                    null for none
 * @param array       .npz: the array to read; null when the file holds one
 * @param imageSize   image folders: the size every image is resized to; null to require one size
 */
public record ReadOptions(Header header, List<String> columns, String labelColumn, String array, ImageSize imageSize) {
    public static final ReadOptions DEFAULTS = new ReadOptions(Header.AUTO, null, null, null, null);

    public enum Header {
        /** A header when the first row has a non-numeric cell where the second row's is numeric. */
        AUTO,
        YES,
        NO
    }

    /** An image size, height × width in pixels. */
    public record ImageSize(int height, int width) {
        public ImageSize {
            if (height <= 0 || width <= 0 || (long) height * width > 1 << 28) {
                throw new IllegalArgumentException("impossible image size " + height + "x" + width);
            }
        }

        /** Parses {@code HxW}, such as {@code 64x48}. */
        public static ImageSize parse(String text) {
            String[] parts = text.strip().toLowerCase().split("[x×]");
            try {
                if (parts.length == 2) {
                    return new ImageSize(Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
                }
            } catch (IllegalArgumentException e) {
                // falls through to the one message below
            }
            throw new ae4j.UserInputException("image size '" + text + "' is not HxW with positive integers, such as 64x64");
        }

        @Override
        public String toString() {
            return height + "×" + width;
        }
    }

    public ReadOptions {
        columns = columns == null ? null : List.copyOf(columns);
        if (header == null) {
            header = Header.AUTO;
        }
    }

    public ReadOptions withHeader(Header header) {
        return new ReadOptions(header, columns, labelColumn, array, imageSize);
    }

    public ReadOptions withColumns(List<String> columns) {
        return new ReadOptions(header, columns, labelColumn, array, imageSize);
    }

    public ReadOptions withLabelColumn(String labelColumn) {
        return new ReadOptions(header, columns, labelColumn, array, imageSize);
    }

    public ReadOptions withArray(String array) {
        return new ReadOptions(header, columns, labelColumn, array, imageSize);
    }

    public ReadOptions withImageSize(ImageSize imageSize) {
        return new ReadOptions(header, columns, labelColumn, array, imageSize);
    }
}
