package ae4j.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A {@code .npy} file read in place through memory mappings: rows are copied out on demand, so a file larger than
 * the heap can be read. One mapping holds at most 2 GB, so the file is mapped in pieces of at most
 * {@value #PIECE_BYTES} bytes, each of whole rows; a row itself may not exceed a piece. Elements other than
 * little-endian float32 are converted as they are read.
 */
final class MappedNpyMatrix implements FloatMatrix {
    static final int PIECE_BYTES = 1 << 30;

    private final String source;
    private final Npy.Header header;
    private final int cols;
    private final int rowBytes;
    private final long rowsPerPiece;
    private final ByteBuffer[] pieces;

    MappedNpyMatrix(Path file, Npy.Header header) {
        this.source = file.toString();
        this.header = header;
        this.cols = header.cols();
        long rowBytes = (long) cols * header.type().dtype().itemSize;
        if (rowBytes > PIECE_BYTES) {
            throw new InvalidDataException(source, String.format("rows of %,d bytes are over the %,d-byte limit of one mapping",
                    rowBytes, PIECE_BYTES));
        }
        this.rowBytes = (int) rowBytes;
        this.rowsPerPiece = PIECE_BYTES / rowBytes;
        long rows = header.rows();
        int count = (int) ((rows + rowsPerPiece - 1) / rowsPerPiece);
        this.pieces = new ByteBuffer[count];
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            for (int i = 0; i < count; i++) {
                long first = i * rowsPerPiece;
                long pieceRows = Math.min(rowsPerPiece, rows - first);
                MappedByteBuffer piece = channel.map(FileChannel.MapMode.READ_ONLY,
                        header.dataOffset() + first * rowBytes, pieceRows * rowBytes);
                pieces[i] = piece.order(header.type().order());
            }
        } catch (IOException e) {
            throw new InvalidDataException(source, "cannot map (" + e.getMessage() + ")");
        }
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public long rows() {
        return header.rows();
    }

    @Override
    public int cols() {
        return cols;
    }

    @Override
    public int[] sampleShape() {
        return header.sampleShape();
    }

    @Override
    public void row(long r, float[] into, int offset) {
        if (r < 0 || r >= header.rows()) {
            throw new IndexOutOfBoundsException("row " + r + " of " + header.rows());
        }
        ByteBuffer piece = pieces[(int) (r / rowsPerPiece)];
        header.type().toFloats(piece, (int) (r % rowsPerPiece) * rowBytes, into, offset, cols);
        header.type().checkFinite(source, into, offset, cols, r * cols, cols);
    }
}
