package ae4j;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.UUID;

/**
 * Writes a file so that it holds either its old content or the complete new one, never a part: the content goes
 * to a hidden temporary file beside it, which is renamed over the target only once it is complete, and removed
 * when writing fails.
 */
public final class AtomicFile {
    /** Writes the new content into the temporary file it is given; throwing leaves the target untouched. */
    @FunctionalInterface
    public interface Content {
        void writeTo(Path temporary) throws IOException;
    }

    private AtomicFile() {
    }

    public static void write(Path file, Content content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        // Files.createFile, unlike createTempFile, gives the file the umask's permissions, as a plain write would.
        Path tmp = Files.createFile(dir.resolve("." + file.getFileName() + "." + UUID.randomUUID() + ".part"));
        try {
            content.writeTo(tmp);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void writeString(Path file, String text) throws IOException {
        write(file, tmp -> Files.writeString(tmp, text));
    }
}
