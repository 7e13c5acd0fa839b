package dev.trama.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads durations as people write them: {@code 500ms}, {@code 5s}, {@code 2m}, {@code 1h}. */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern FORM = Pattern.compile("(\\d{1,9})(ms|s|m|h)");

    /** The same, where zero means "at once": {@code 0}, {@code 0s} are accepted too. */
    public static final class OrZero implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return value != null && value.trim().equals("0") ? Duration.ZERO : read(value, true);
        }
    }

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        return read(value, false);
    }

    private static Duration read(String value, boolean zeroAllowed) {
        Matcher m = value == null ? null : FORM.matcher(value.trim());
        if (m == null || !m.matches()) {
            throw new TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 5s, 2m)");
        }
        long amount = Long.parseLong(m.group(1));
        Duration duration = switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            default -> Duration.ofHours(amount);
        };
        if (duration.isZero() && !zeroAllowed) {
            throw new TypeConversionException("duration must be more than zero");
        }
        return duration;
    }
}
