package dev.trama.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Remembers the processes tests start, in files outside the JVM, so that a run killed before its
 * teardown is cleaned up by the next one: {@link #reapLeftovers()} stops each recorded process whose
 * command line is still the recorded one (a reused PID belongs to someone else and is left alone).
 */
public final class Reaper {

    private static final Path DIR = Path.of(System.getProperty("java.io.tmpdir"), "trama-test-processes");
    private static boolean reaped;

    private Reaper() {
    }

    public static synchronized void track(Process process) {
        try {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve(Long.toString(process.pid())), commandLine(process.pid()).orElse(""));
        } catch (IOException e) {
            throw new IllegalStateException("cannot record test process " + process.pid(), e);
        }
    }

    public static synchronized void untrack(Process process) {
        try {
            Files.deleteIfExists(DIR.resolve(Long.toString(process.pid())));
        } catch (IOException ignored) {
            // a stale record is checked against the command line before anything is stopped
        }
    }

    /** Stops what an earlier, killed run left running. Runs once per JVM. */
    public static synchronized void reapLeftovers() {
        if (reaped || !Files.isDirectory(DIR)) {
            reaped = true;
            return;
        }
        reaped = true;
        try (Stream<Path> records = Files.list(DIR)) {
            for (Path record : records.toList()) {
                long pid = Long.parseLong(record.getFileName().toString());
                String recorded = Files.readString(record);
                Optional<String> now = commandLine(pid);
                if (now.isPresent() && now.get().equals(recorded) && !recorded.isEmpty()) {
                    ProcessHandle.of(pid).ifPresent(p -> {
                        p.destroyForcibly();
                        p.onExit().join();
                    });
                }
                Files.deleteIfExists(record);
            }
        } catch (IOException | NumberFormatException e) {
            throw new IllegalStateException("cannot clean leftovers of an earlier test run in " + DIR, e);
        }
    }

    static Optional<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            return Optional.of(new String(raw, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

}
