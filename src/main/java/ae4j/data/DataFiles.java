package ae4j.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Opening a user's data file: a missing one is one line naming it, and gzip is undone wherever it is found. */
final class DataFiles {
    private DataFiles() {
    }

    static InputStream open(Path file) throws IOException {
        try {
            return Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new InvalidDataException(file.toString(), "no such file");
        }
    }

    /** Gzip is recognised by its two magic bytes, so a raw file named .gz (or the reverse) still reads. */
    static InputStream decompressed(InputStream raw) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, 1 << 16);
        return isGzip(in) ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    static boolean isGzip(Path file) throws IOException {
        try (BufferedInputStream in = new BufferedInputStream(open(file), 2)) {
            return isGzip(in);
        }
    }

    private static boolean isGzip(BufferedInputStream in) throws IOException {
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b;
    }

    /** Bytes {@code from} to {@code to} of an open file, by positional reads: threads may read parts of one channel at once. */
    static InputStream region(FileChannel channel, long from, long to) {
        return new InputStream() {
            private long at = from;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] into, int offset, int length) throws IOException {
                if (at >= to) {
                    return -1;
                }
                int n = channel.read(ByteBuffer.wrap(into, offset, (int) Math.min(length, to - at)), at);
                if (n < 0) {
                    throw new IOException("the file ended at byte " + at + ", before its " + to + " bytes (did it shrink while being read?)");
                }
                at += n;
                return n;
            }
        };
    }
}
