package ae4j.data;

import ae4j.AtomicFile;
import ae4j.CreatedFolders;
import ae4j.Progress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Downloads the four Fashion-MNIST files into a directory. Each file is written atomically, and its content is
 * checked against the known SHA-256 before it takes its name, so an interrupted or failed download leaves nothing
 * half-written. Mirrors are tried in order.
 */
public final class Downloader {
    /** The dataset's official mirror, then the copy Keras downloads from. */
    public static final List<URI> OFFICIAL_MIRRORS = List.of(
            URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"),
            URI.create("https://storage.googleapis.com/tensorflow/tf-keras-datasets/"));

    private final List<URI> mirrors;
    private final Duration timeout;

    /** {@code timeout} bounds connecting and each read, so a dead or stalled mirror fails instead of hanging. */
    public Downloader(List<URI> mirrors, Duration timeout) {
        this.mirrors = mirrors;
        this.timeout = timeout;
    }

    public static Downloader official() {
        return new Downloader(OFFICIAL_MIRRORS, Duration.ofSeconds(20));
    }

    /** Fetches every file not already in {@code dir}; throws with the last mirror's reason when one cannot be had. */
    public void downloadAll(Path dir) throws IOException {
        CreatedFolders folders = new CreatedFolders();
        folders.create(dir);
        try {
            for (DataFile file : DataFile.values()) {
                if (file.findIn(dir) == null) {
                    download(file, file.contentSha256, dir.resolve(file.gzName()));
                }
            }
        } finally {
            folders.removeEmpty(); // a download that got nothing leaves no empty cache folder behind
        }
    }

    /** Downloads one gzip file to {@code target}, verifying the SHA-256 of its decompressed content. */
    void download(DataFile file, String expectedContentSha256, Path target) throws IOException {
        IOException last = null;
        for (URI mirror : mirrors) {
            URI uri = mirror.resolve(file.gzName());
            try {
                AtomicFile.write(target, part -> {
                    fetch(uri, part);
                    String actual = contentSha256(part);
                    if (!actual.equals(expectedContentSha256)) {
                        throw new IOException(uri + " has the wrong content (SHA-256 " + actual + ")");
                    }
                });
                return;
            } catch (IOException e) {
                last = e;
            }
        }
        throw last;
    }

    private void fetch(URI uri, Path to) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setConnectTimeout((int) timeout.toMillis());
        connection.setReadTimeout((int) timeout.toMillis()); // a stalled transfer fails instead of hanging
        try {
            int status = connection.getResponseCode();
            if (status != HttpURLConnection.HTTP_OK) {
                throw new IOException(uri + ": HTTP " + status);
            }
            long length = connection.getContentLengthLong();
            try (InputStream body = connection.getInputStream();
                 OutputStream out = Files.newOutputStream(to);
                 Progress progress = Progress.start(uri.getPath().substring(uri.getPath().lastIndexOf('/') + 1),
                         Math.max(length, 0), "MB", 1 << 20)) {
                byte[] buffer = new byte[1 << 16];
                long total = 0;
                for (int n; (n = body.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    total += n;
                    progress.stepTo(total);
                }
                if (length >= 0 && total != length) {
                    throw new IOException(uri + ": connection closed after " + total + " of " + length + " bytes");
                }
            }
        } catch (UnknownHostException e) {
            throw new IOException("cannot resolve " + e.getMessage(), e);
        } finally {
            connection.disconnect();
        }
    }

    static String contentSha256(Path gz) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
        try (InputStream in = new DigestInputStream(new GZIPInputStream(Files.newInputStream(gz)), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
