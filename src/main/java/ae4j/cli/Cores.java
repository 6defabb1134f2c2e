package ae4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The machine's physical cores: distinct (package, core) pairs of /proc/cpuinfo, else the logical processors. */
final class Cores {
    private Cores() {
    }

    static int physical() {
        int logical = Runtime.getRuntime().availableProcessors();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            Set<String> cores = new HashSet<>();
            String pkg = "0";
            for (String line : lines) {
                String[] kv = line.split(":", 2);
                if (kv.length < 2) {
                    continue;
                }
                String key = kv[0].trim();
                if (key.equals("physical id")) {
                    pkg = kv[1].trim();
                } else if (key.equals("core id")) {
                    cores.add(pkg + "/" + kv[1].trim());
                }
            }
            return cores.isEmpty() ? logical : Math.min(cores.size(), logical);
        } catch (IOException e) {
            return logical;
        }
    }
}
