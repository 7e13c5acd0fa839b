package dev.trama.daemon.host;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place the daemon starts a process: an argument vector, no shell, bounded in time. */
public final class ProcessRunner implements CommandRunner {

    private static final Logger log = LoggerFactory.getLogger(ProcessRunner.class);

    private final Duration timeout;

    public ProcessRunner(Duration timeout) {
        this.timeout = timeout;
    }

    @Override
    public CommandResult run(List<String> argv) {
        log.debug("run {}", CommandResult.display(argv));
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new CommandException("cannot run `" + CommandResult.display(argv) + "`: " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new CommandException("`" + CommandResult.display(argv) + "` did not finish within "
                        + timeout.toSeconds() + " s", null);
            }
            CommandResult result = new CommandResult(argv, process.exitValue(), out.join(), err.join());
            if (!result.ok()) {
                log.debug("exit {}: {}", result.exitCode(), result.stderr().strip());
            }
            return result;
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new CommandException("interrupted while running `" + CommandResult.display(argv) + "`", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(InputStream stream) {
        try (stream) {
            return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
