package dev.trama.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Text a peer sends (reasons, warnings, error sentences) decodes without control characters and bounded. */
class FreeTextTest {

    private static final Codec REPORTS = new Codec(Report.class);
    private static final Codec SERVER = new Codec(ServerRequest.class);

    @Test
    void anOutcomeMessageWithEscapesAndCarriageReturnsDecodesClean() {
        List<byte[]> frames = frames("report.task",
                "{\"v\":1,\"taskId\":\"t-1\",\"node\":\"n2\",\"ok\":false,\"message\":\"\\u001b[2Jpull failed\\r\\nretry\\u0007\"}");

        Report.TaskOutcome outcome = (Report.TaskOutcome) REPORTS.decode(frames);

        assertThat(outcome.message()).isEqualTo("[2Jpull failed retry").doesNotContainPattern("\\p{Cc}");
    }

    @Test
    void aMessageOfTenThousandCharactersIsBoundedWithAnEllipsis() {
        Report.TaskOutcome outcome = (Report.TaskOutcome) REPORTS.decode(frames("report.task",
                "{\"v\":1,\"taskId\":\"t-1\",\"node\":\"n2\",\"ok\":false,\"message\":\"" + "e".repeat(10_000) + "\"}"));

        assertThat(outcome.message()).hasSize(Check.MAX_TEXT).startsWith("eee").endsWith("e\u2026");
    }

    @Test
    void everyFreeTextFieldIsCleanedWhenBuilt() {
        String dirty = "\u001b]0;owned\u0007bad\tthing\u009b2J\u0000";
        String clean = "]0;ownedbad thing2J";

        assertThat(new Replies.TaskStatus("t-1", Replies.TaskStatus.State.FAILED, dirty, null).message()).isEqualTo(clean);
        assertThat(new Replies.Tombstone("web", "t-1", dirty).reason()).isEqualTo(clean);
        assertThat(new Failure(ErrorCode.INTERNAL, dirty).message()).isEqualTo(clean);
        assertThat(new NodeInfo("n1", "192.0.2.11", NodeInfo.Status.DOWN, null, null, 0, null, dirty, List.of(dirty, "ok"))
                .warnings()).containsExactly(clean, "ok");
    }

    @Test
    void anErrorReplyIsRethrownWithAPrintableSentence() {
        List<byte[]> reply = frames("error", "{\"v\":1,\"code\":\"TASK_FAILED\",\"message\":\"\\u001b[31mdisk\\rfull\\u001b[0m\"}");

        assertThatThrownBy(() -> Codec.decodeReply(reply, Replies.Done.class))
                .isInstanceOfSatisfying(TramaException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.TASK_FAILED);
                    assertThat(e.getMessage()).isEqualTo("[31mdisk full[0m");
                });
    }

    @Test
    void anErrorReplyOfOnlyControlCharactersSaysItIsUnspecified() {
        List<byte[]> reply = frames("error", "{\"v\":1,\"code\":\"INTERNAL\",\"message\":\"\\u0007\\u0000\"}");

        assertThatThrownBy(() -> Codec.decodeReply(reply, Replies.Done.class)).hasMessage("unspecified error");
    }

    @Test
    void aRefusedValueIsQuotedPrintably() {
        String address = "\\u001b[2J" + "9".repeat(5_000);
        List<byte[]> frames = frames("node.register", "{\"v\":1,\"name\":\"n1\",\"address\":\"" + address + "\"}");

        assertThatThrownBy(() -> SERVER.decode(frames)).isInstanceOfSatisfying(TramaException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
            assertThat(e.getMessage()).doesNotContainPattern("\\p{Cc}").hasSizeLessThanOrEqualTo(Check.MAX_TEXT);
        });
        List<byte[]> method = List.of("node.\u009b2J".getBytes(StandardCharsets.UTF_8), utf8("{\"v\":1}"));
        assertThatThrownBy(() -> SERVER.decode(method)).hasMessage("unknown method 'node.?2J'");
    }

    @Test
    void textKeepsPrintableCharactersAndDropsControlOnes() {
        assertThat(Check.text(null)).isNull();
        assertThat(Check.text("")).isEmpty();
        assertThat(Check.text("déjà vu ✓ \ud83d\ude00")).isEqualTo("déjà vu ✓ \ud83d\ude00");
        assertThat(Check.text("a\r\n\tb\n\nc")).isEqualTo("a b c");
        assertThat(Check.text("\u0000\u0007\u007f\u0085\u009bx")).isEqualTo(" x");
        assertThat(Check.text("lone \ud800 surrogate \udc00")).isEqualTo("lone \ufffd surrogate \ufffd");
    }

    @Test
    void textIsCutWithoutSplittingACharacterAndCuttingTwiceChangesNothing() {
        String emoji = "\ud83d\ude00";
        String cut = Check.text("x" + emoji.repeat(2_000));

        assertThat(cut).hasSizeLessThanOrEqualTo(Check.MAX_TEXT).endsWith(emoji + "\u2026");
        assertThat(Check.text(cut)).isEqualTo(cut);
        String exact = "y".repeat(Check.MAX_TEXT);
        assertThat(Check.text(exact)).isEqualTo(exact);
        assertThat(Check.text(exact + "z")).hasSize(Check.MAX_TEXT).endsWith("y\u2026");
    }

    private static List<byte[]> frames(String method, String body) {
        return List.of(utf8(method), utf8(body));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aLogLineKeepsItsTabsAndDropsWhatATerminalWouldObey() {
        LogLine line = new LogLine("2026-12-01T10:00:01Z", "stdout", "a\tb \u001b[31mred\u001b[0m\r\u0007 \ud83d\ude00 \ud800");
        assertThat(line.text()).isEqualTo("a\tb [31mred[0m \ud83d\ude00 ");
        assertThat(new LogLine("2026-12-01T10:00:01Z", "stderr", "x".repeat(LogLine.MAX_CHARS + 5)).text())
                .hasSize(LogLine.MAX_CHARS).endsWith("\u2026");
    }
}
