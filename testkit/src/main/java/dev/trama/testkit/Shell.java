package dev.trama.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Commands for test harnesses: argument vectors, no shell, bounded in time. */
public final class Shell {

    /** What a command printed and how it ended. */
    public record Result(List<String> argv, int exitCode, String out, String err) {
        public boolean ok() {
            return exitCode == 0;
        }

        public Result check() {
            if (!ok()) {
                throw new IllegalStateException("`" + String.join(" ", argv) + "` exited " + exitCode + ": " + err.strip()
                        + (out.isBlank() ? "" : " / " + out.strip()));
            }
            return this;
        }
    }

    private Shell() {
    }

    public static Result run(List<String> argv) {
        return run(argv, 120);
    }

    public static Result run(List<String> argv, int timeoutSeconds) {
        Process process;
        try {
            process = new ProcessBuilder(argv).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", argv), e);
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process, false));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process, true));
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("`" + String.join(" ", argv) + "` did not finish within " + timeoutSeconds + " s");
            }
            return new Result(List.copyOf(argv), process.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Result check(String... argv) {
        return run(List.of(argv)).check();
    }

    public static Result run(String... argv) {
        return run(List.of(argv));
    }

    /** {@code ip netns exec NAMESPACE argv...} */
    public static List<String> in(String namespace, String... argv) {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", namespace));
        full.addAll(List.of(argv));
        return full;
    }

    private static String read(Process process, boolean error) {
        try (var stream = error ? process.getErrorStream() : process.getInputStream()) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
