package ae4j.cli;

import ae4j.CreatedFolders;
import ae4j.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks, before any work starts, that an output folder or file can be written. The folders it creates are
 * remembered, and {@link Main} removes those still empty when the command fails.
 */
final class OutputFolder {
    static final CreatedFolders CREATED = new CreatedFolders();

    private OutputFolder() {
    }

    static void requireWritable(Path dir, String flag) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new UserInputException(flag + " " + dir + ": is a file, not a folder");
        }
        try {
            CREATED.create(dir);
            Path probe = Files.createTempFile(dir, ".write-test", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new UserInputException(flag + " " + dir + ": cannot write there (" + e.getMessage() + ")");
        }
    }

    /** A file to write: not a folder, in a folder that can be written. */
    static void requireWritableFile(Path file, String flag) {
        if (Files.isDirectory(file)) {
            throw new UserInputException(flag + " " + file + ": is a folder; name the file to write");
        }
        requireWritable(file.toAbsolutePath().getParent(), flag);
    }
}
