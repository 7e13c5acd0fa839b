package dev.trama.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reading the logs of the processes tests start, whole or their end, also while they are written. */
final class Logs {

    /** How much of a log a failed start shows. */
    static final int START_FAILURE_LINES = 40;

    private Logs() {
    }

    static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The last lines of a log, each ending in a newline. */
    static String tail(Path log, int lines) {
        List<String> all = read(log).lines().toList();
        StringBuilder tail = new StringBuilder();
        all.subList(Math.max(0, all.size() - lines), all.size()).forEach(line -> tail.append(line).append('\n'));
        return tail.toString();
    }
}
