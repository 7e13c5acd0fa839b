package dev.trama.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * Remembers what tests start (processes, simulated LANs) in files outside the JVM, each with the PID and
 * start time of the JVM that owns it, so that the next run cleans up after a run that was killed before
 * its teardown. {@link #reapLeftovers()} touches only records whose owner is gone, and stops a process
 * only if it is still the recorded one: same PID and same start time (a reused PID belongs to someone
 * else). The start time, unlike the command line, stays when a process replaces itself with another
 * program, as {@code ip netns exec} and the scripts that start etcd do.
 */
public final class Reaper {

    private static final Path DIR = Path.of(System.getProperty("java.io.tmpdir"), "trama-test-processes");
    private static final String OWNER = ownerOf(ProcessHandle.current());
    private static boolean reaped;

    private Reaper() {
    }

    public static synchronized void track(Process process) {
        write("proc-" + process.pid(), ownerOf(process.toHandle()));
    }

    public static synchronized void untrack(Process process) {
        delete("proc-" + process.pid());
    }

    /**
     * Stops a tracked process: SIGTERM (or SIGKILL when {@code kill}), SIGKILL after a grace period, then
     * forgets it.
     */
    public static void stop(Process process, boolean kill) {
        if (kill) {
            process.destroyForcibly();
        } else {
            process.destroy();
        }
        try {
            if (!process.waitFor(15, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        untrack(process);
    }

    /** Records a name prefix of a simulated LAN. */
    public static synchronized void trackPrefix(String prefix) {
        write("lan-" + prefix, prefix);
    }

    public static synchronized void untrackPrefix(String prefix) {
        delete("lan-" + prefix);
    }

    /** Stops the processes and removes the LANs of earlier runs that were killed. Once per JVM. */
    public static synchronized void reapLeftovers() {
        if (reaped) {
            return;
        }
        reaped = true;
        if (!Files.isDirectory(DIR)) {
            return;
        }
        try (Stream<Path> listing = Files.list(DIR)) {
            List<Path> records = listing.filter(Reaper::ownerIsGone).toList();
            for (Path record : records) {
                String name = record.getFileName().toString();
                String subject = Files.readString(record).lines().skip(1).findFirst().orElse("");
                if (name.startsWith("proc-")) {
                    stopIfStillTheSame(Long.parseLong(name.substring(5)), subject);
                }
            }
            for (Path record : records) {
                String name = record.getFileName().toString();
                if (name.startsWith("lan-")) {
                    SimulatedLan.removeNamespaces(name.substring(4));
                }
                Files.deleteIfExists(record);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException("cannot clean up after an earlier test run (" + DIR + "): " + e.getMessage(), e);
        }
    }

    private static void stopIfStillTheSame(long pid, String recordedIdentity) {
        if (recordedIdentity.endsWith("@?")) {
            return;
        }
        ProcessHandle.of(pid).filter(p -> ownerOf(p).equals(recordedIdentity)).ifPresent(p -> {
            p.destroyForcibly();
            p.onExit().join();
        });
    }

    private static boolean ownerIsGone(Path record) {
        try {
            String owner = Files.readString(record).lines().findFirst().orElse("");
            long pid = Long.parseLong(owner.split("@")[0]);
            return ProcessHandle.of(pid).map(p -> !ownerOf(p).equals(owner)).orElse(true);
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    private static String ownerOf(ProcessHandle process) {
        return process.pid() + "@" + process.info().startInstant().map(Object::toString).orElse("?");
    }

    private static void write(String name, String subject) {
        try {
            Files.createDirectories(DIR);
            Files.writeString(DIR.resolve(name), OWNER + "\n" + subject + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot record " + name + " in " + DIR, e);
        }
    }

    private static void delete(String name) {
        try {
            Files.deleteIfExists(DIR.resolve(name));
        } catch (IOException ignored) {
            // a stale record is checked against its owner and its process's start time before anything is touched
        }
    }
}
