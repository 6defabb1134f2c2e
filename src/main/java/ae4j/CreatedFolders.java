package ae4j;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates folders and remembers which ones did not exist before, so that when the work that needed them fails,
 * those still empty can be removed: a failed command leaves no empty folders behind.
 */
public final class CreatedFolders {
    /** In order of creation: each folder after its parent. */
    private final List<Path> created = new ArrayList<>();

    /** Creates {@code dir} and any missing parents, remembering each folder this call created. */
    public synchronized void create(Path dir) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(0, p);
        }
        Files.createDirectories(dir);
        created.addAll(missing);
    }

    /** Removes, deepest first, every remembered folder that is (still) empty, and forgets them all. */
    public synchronized void removeEmpty() {
        for (int i = created.size() - 1; i >= 0; i--) {
            try {
                Files.deleteIfExists(created.get(i));
            } catch (DirectoryNotEmptyException e) {
                // it holds something now: keep it
            } catch (IOException e) {
                // best effort: the command already failed for a better reason
            }
        }
        created.clear();
    }

    /** Forgets the remembered folders: the work succeeded, they stay. */
    public synchronized void keep() {
        created.clear();
    }
}
