package ae4j.data;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The four files of Fashion-MNIST, by their standard names (gzip-compressed {@code .gz} or raw), with the SHA-256
 * of each file's decompressed content: mirrors recompress the files, the content is the same everywhere.
 */
public enum DataFile {
    TRAIN_IMAGES("train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
    TRAIN_LABELS("train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
    TEST_IMAGES("t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
    TEST_LABELS("t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34");

    public final String baseName;
    public final String contentSha256;

    DataFile(String baseName, String contentSha256) {
        this.baseName = baseName;
        this.contentSha256 = contentSha256;
    }

    public String gzName() {
        return baseName + ".gz";
    }

    /** The file in {@code dir}, compressed preferred, or null when neither form is there. */
    public Path findIn(Path dir) {
        Path gz = dir.resolve(gzName());
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path raw = dir.resolve(baseName);
        return Files.isRegularFile(raw) ? raw : null;
    }
}
