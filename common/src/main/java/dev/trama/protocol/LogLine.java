package dev.trama.protocol;

/**
 * One line a container printed: when (ISO-8601, UTC, to the nanosecond as the engine keeps it), on which stream
 * ({@code stdout} or {@code stderr}), and its text without the line break. The text keeps tabs and printable
 * characters only: a container's output never reaches a terminal with escape sequences in it.
 */
public record LogLine(String at, String stream, String text) {

    /** The longest line kept; longer ones are cut with an ellipsis. */
    public static final int MAX_CHARS = 8_192;

    public LogLine {
        at = Check.instant(at, "log time");
        if (at == null) {
            throw new IllegalArgumentException("a log line's time is required");
        }
        if (!"stdout".equals(stream) && !"stderr".equals(stream)) {
            throw new IllegalArgumentException("a log line's stream is stdout or stderr");
        }
        text = printable(text == null ? "" : text);
    }

    private static String printable(String text) {
        StringBuilder kept = new StringBuilder(Math.min(text.length(), MAX_CHARS));
        for (int i = 0; i < text.length() && kept.length() < MAX_CHARS; i++) {
            char c = text.charAt(i);
            if (c == '\t' || Character.getType(c) != Character.CONTROL && !Character.isSurrogate(c)) {
                kept.append(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                kept.append(c).append(text.charAt(++i));
            }
        }
        if (kept.length() >= MAX_CHARS && text.length() > MAX_CHARS) {
            kept.setLength(MAX_CHARS - 1);
            kept.append('\u2026');
        }
        return kept.toString();
    }
}
