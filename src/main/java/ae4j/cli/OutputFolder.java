package ae4j.cli;

import ae4j.UserInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Checks, before any work starts, that an output folder can be created and written. */
final class OutputFolder {
    private OutputFolder() {
    }

    static void requireWritable(Path dir, String flag) {
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".write-test", ".tmp");
            Files.delete(probe);
        } catch (IOException | SecurityException e) {
            throw new UserInputException(flag + " " + dir + ": cannot write there (" + e.getMessage() + ")");
        }
    }
}
