package ae4j.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The process's memory as the OS sees it: heap, off-heap buffers and native libraries together. */
public final class ProcessMemory {
    private ProcessMemory() {
    }

    /** Peak resident set in MiB (VmHWM from /proc), or -1 where the OS does not say. */
    public static long peakResidentMib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
