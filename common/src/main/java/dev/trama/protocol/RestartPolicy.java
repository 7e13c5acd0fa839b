package dev.trama.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * Docker's restart policy of a container, spelt as {@code docker run --restart} takes it: {@code no},
 * {@code on-failure} or {@code on-failure:N} (at most N restarts), {@code always}, {@code unless-stopped}.
 * The engine carries it out; Trama attaches each new run of the container to the overlay again.
 */
public record RestartPolicy(Mode mode, int maxRetries) {

    public static final RestartPolicy NO = new RestartPolicy(Mode.NO, 0);
    private static final int MAX_RETRIES = 1_000_000;

    public enum Mode {
        NO("no"), ON_FAILURE("on-failure"), ALWAYS("always"), UNLESS_STOPPED("unless-stopped");

        private final String word;

        Mode(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }
    }

    public RestartPolicy {
        if (mode == null) {
            throw new IllegalArgumentException("a restart policy is required");
        }
        if (maxRetries < 0 || maxRetries > MAX_RETRIES || maxRetries > 0 && mode != Mode.ON_FAILURE) {
            throw new IllegalArgumentException("only on-failure takes a number of restarts, from 1 to " + MAX_RETRIES);
        }
    }

    /** Parses Docker's spelling; the one-sentence error names the policies. */
    @JsonCreator
    public static RestartPolicy parse(String text) {
        String value = text == null ? "" : text;
        int colon = value.indexOf(':');
        String word = colon < 0 ? value : value.substring(0, colon);
        for (Mode mode : Mode.values()) {
            if (!mode.word.equals(word)) {
                continue;
            }
            if (colon < 0) {
                return new RestartPolicy(mode, 0);
            }
            String count = value.substring(colon + 1);
            if (mode == Mode.ON_FAILURE && count.matches("[1-9][0-9]{0,6}")) {
                return new RestartPolicy(mode, Integer.parseInt(count));
            }
        }
        throw new IllegalArgumentException("restart policy '" + Check.printable(text)
                + "' is not one of no, on-failure[:N], always, unless-stopped");
    }

    @JsonValue
    @Override
    public String toString() {
        return maxRetries > 0 ? mode.word + ":" + maxRetries : mode.word;
    }
}
