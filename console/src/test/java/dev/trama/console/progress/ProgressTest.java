package dev.trama.console.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ProgressTest {

    @Test
    void theLineShowsASpinnerWhatIsDoneAndElapsedSeconds() {
        assertThat(Progress.line("launching web on n2", Duration.ofMillis(2_400), 0))
                .isEqualTo("\r\033[2K| launching web on n2... 2s");
        assertThat(Progress.line("x", Duration.ZERO, 1)).endsWith("/ x... 0s");
        assertThat(Progress.line("x", Duration.ZERO, 7)).endsWith("\\ x... 0s");
    }

    @Test
    void aQuickStepLeavesNoTrace() {
        StringWriter out = new StringWriter();
        try (Progress progress = Progress.start(new PrintWriter(out), "configuring")) {
            assertThat(progress).isNotNull();
        }
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aLongStepIsDrawnThenErased() {
        StringWriter out = new StringWriter();
        PrintWriter writer = new PrintWriter(out);
        try (Progress progress = Progress.start(writer, "removing web")) {
            await().atMost(5, TimeUnit.SECONDS).until(() -> out.toString().contains("removing web... 0s"));
        }
        String drawn = out.toString();
        assertThat(drawn).endsWith(Progress.CLEAR_LINE).doesNotContain("\n");
        try {
            Thread.sleep(300);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(out.toString()).as("nothing drawn after close").isEqualTo(drawn);
    }

    @Test
    void noneDrawsNothing() {
        try (Progress progress = Progress.none()) {
            assertThat(progress).isNotNull();
        }
    }

    @Test
    void terminalDevicesAreToldFromPipesAndFiles() {
        assertThat(StderrTerminal.isTerminalDevice("/dev/pts/3")).isTrue();
        assertThat(StderrTerminal.isTerminalDevice("/dev/tty1")).isTrue();
        assertThat(StderrTerminal.isTerminalDevice("pipe:[12345]")).isFalse();
        assertThat(StderrTerminal.isTerminalDevice("/tmp/trama.log")).isFalse();
        assertThat(StderrTerminal.isTerminalDevice("/dev/null")).isFalse();
    }
}
