package ae4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads from a local HTTP server: checksums are verified and failures leave no file behind. */
class DownloaderTest {
    @TempDir
    Path tmp;
    HttpServer server;
    byte[] served;
    boolean cutShort;

    @BeforeEach
    void serve() throws IOException {
        Path source = Files.createDirectories(tmp.resolve("source"));
        TinyDataset.write(source, 24, 12, true);
        served = Files.readAllBytes(source.resolve("t10k-labels-idx1-ubyte.gz"));
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, served.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(served, 0, cutShort ? served.length / 2 : served.length);
            } catch (IOException ignored) {
                // the client may hang up on a short body
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    Downloader downloader() {
        return new Downloader(List.of(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/")), Duration.ofSeconds(1));
    }

    @Test
    void verifiedFileIsRenamedIntoPlace() throws IOException {
        Path target = tmp.resolve("t10k-labels-idx1-ubyte.gz");
        String sha = contentSha(served);
        downloader().download(DataFile.TEST_LABELS, sha, target);
        assertArrayEquals(served, Files.readAllBytes(target));
        assertEquals(List.of(target), list(tmp).stream()
                .filter(p -> p.getFileName().toString().contains("t10k")).toList(), "no temporary file is left");
    }

    @Test
    void wrongChecksumLeavesNothing() throws IOException {
        Path target = tmp.resolve("t10k-labels-idx1-ubyte.gz");
        IOException e = assertThrows(IOException.class, () -> downloader().download(DataFile.TEST_LABELS, "00", target));
        assertTrue(e.getMessage().contains("wrong content"), e.getMessage());
        assertTrue(list(tmp).stream().noneMatch(p -> p.getFileName().toString().contains("t10k")), list(tmp).toString());
    }

    @Test
    void interruptedTransferLeavesNothing() throws IOException {
        cutShort = true;
        Path target = tmp.resolve("t10k-labels-idx1-ubyte.gz");
        assertThrows(IOException.class, () -> downloader().download(DataFile.TEST_LABELS, contentSha(served), target));
        assertTrue(list(tmp).stream().noneMatch(p -> p.getFileName().toString().contains("t10k")), list(tmp).toString());
    }

    private String contentSha(byte[] gz) throws IOException {
        Path f = Files.write(tmp.resolve("probe.gz"), gz);
        try {
            return Downloader.contentSha256(f);
        } finally {
            Files.delete(f);
        }
    }

    private static List<Path> list(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
