package dev.trama.console.progress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.Semaphore;
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
        SteppedPacing pacing = new SteppedPacing();
        Progress progress = Progress.start(new PrintWriter(out), "configuring", pacing);
        progress.close();
        // the quiet time ends only after the step is over: the drawer must not draw then either
        pacing.step();
        await().atMost(5, TimeUnit.SECONDS).until(() -> !progress.drawing());
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aLongStepIsDrawnWithItsElapsedSecondsThenErased() {
        StringWriter out = new StringWriter();
        SteppedPacing pacing = new SteppedPacing();
        Progress progress = Progress.start(new PrintWriter(out), "removing web", pacing);
        try {
            pacing.step();
            await().atMost(5, TimeUnit.SECONDS).until(() -> out.toString().endsWith("| removing web... 0s"));
            int ticksToOneSecond = (int) ((Duration.ofSeconds(1).toMillis() - Progress.QUIET.toMillis()) / Progress.TICK.toMillis());
            for (int i = 0; i < ticksToOneSecond; i++) {
                pacing.step();
            }
            await().atMost(5, TimeUnit.SECONDS).until(() -> out.toString().endsWith(" removing web... 1s"));
        } finally {
            progress.close();
        }
        String drawn = out.toString();
        assertThat(drawn).endsWith(Progress.CLEAR_LINE).doesNotContain("\n");
        pacing.step();
        await().atMost(5, TimeUnit.SECONDS).until(() -> !progress.drawing());
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

    /**
     * A clock that stands still while the drawer pauses until the test lets it go on; each pause then
     * moves the clock on by exactly the time paused. Pauses ignore interrupts, so that the drawer goes
     * on after {@link Progress#close} only when the test says so.
     */
    private static final class SteppedPacing implements Progress.Pacing {

        private final Semaphore steps = new Semaphore(0);
        private volatile long now;

        void step() {
            steps.release();
        }

        @Override
        public long nanoTime() {
            return now;
        }

        @Override
        public void pause(Duration duration) {
            steps.acquireUninterruptibly();
            now += duration.toNanos();
        }
    }
}
