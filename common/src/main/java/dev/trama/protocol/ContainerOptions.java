package dev.trama.protocol;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * How a container runs, beyond its image and command: its restart policy, and its memory and CPU limits
 * ({@code 0}: none), as {@code docker run --restart --memory --cpus} take them.
 */
public record ContainerOptions(RestartPolicy restart, long memoryBytes, long nanoCpus) {

    public static final ContainerOptions DEFAULT = new ContainerOptions(RestartPolicy.NO, 0, 0);
    /** Docker refuses less memory than this. */
    static final long MIN_MEMORY = 6L * 1024 * 1024;
    private static final long MAX_MEMORY = 1L << 50;
    private static final long NANOS_PER_CPU = 1_000_000_000L;
    private static final long MAX_CPUS = 4096;

    public ContainerOptions {
        restart = restart == null ? RestartPolicy.NO : restart;
        if (memoryBytes != 0 && (memoryBytes < MIN_MEMORY || memoryBytes > MAX_MEMORY)) {
            throw new IllegalArgumentException("a memory limit must be at least 6m (Docker's smallest)");
        }
        if (nanoCpus < 0 || nanoCpus > MAX_CPUS * NANOS_PER_CPU) {
            throw new IllegalArgumentException("a CPU limit must be a positive number of CPUs");
        }
    }

    /** {@code null} (an older record or message) stands for the defaults. */
    public static ContainerOptions orDefault(ContainerOptions options) {
        return options == null ? DEFAULT : options;
    }

    /** Docker's memory sizes: a number of bytes, or with a unit {@code b}, {@code k}, {@code m}, {@code g} (1024-based). */
    public static long parseMemory(String text) {
        String value = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
        long unit = 1;
        if (!value.isEmpty()) {
            switch (value.charAt(value.length() - 1)) {
                case 'b' -> unit = 1;
                case 'k' -> unit = 1L << 10;
                case 'm' -> unit = 1L << 20;
                case 'g' -> unit = 1L << 30;
                default -> unit = 0;
            }
        }
        String number = unit == 0 ? value : value.substring(0, value.length() - 1);
        if (!number.matches("[0-9]{1,12}")) {
            throw new IllegalArgumentException("memory size '" + Check.printable(text)
                    + "' is not a number with an optional unit b, k, m or g (e.g. 64m)");
        }
        long bytes = Long.parseLong(number) * Math.max(unit, 1);
        if (bytes < MIN_MEMORY) {
            throw new IllegalArgumentException("memory size '" + Check.printable(text) + "' is below 6m, Docker's smallest");
        }
        return bytes;
    }

    /** A number of CPUs, fractions allowed ({@code 0.5}), as nanoseconds of CPU per second. */
    public static long parseCpus(String text) {
        String value = text == null ? "" : text.strip();
        if (!value.matches("[0-9]{1,4}(\\.[0-9]{1,9})?")) {
            throw new IllegalArgumentException("CPU count '" + Check.printable(text) + "' is not a number such as 0.5 or 2");
        }
        long nanos = new BigDecimal(value).movePointRight(9).longValueExact();
        if (nanos == 0) {
            throw new IllegalArgumentException("CPU count must be more than 0");
        }
        return nanos;
    }

    /** The memory limit as {@code docker} would show it, e.g. {@code 64m}; empty when there is none. */
    public static String memoryText(long bytes) {
        if (bytes == 0) {
            return "";
        }
        long[] sizes = {1L << 30, 1L << 20, 1L << 10};
        String[] units = {"g", "m", "k"};
        for (int i = 0; i < sizes.length; i++) {
            if (bytes % sizes[i] == 0) {
                return bytes / sizes[i] + units[i];
            }
        }
        return bytes + "b";
    }

    /** The CPU limit as a number of CPUs, e.g. {@code 0.5}; empty when there is none. */
    public static String cpusText(long nanoCpus) {
        return nanoCpus == 0 ? "" : BigDecimal.valueOf(nanoCpus).movePointLeft(9).stripTrailingZeros().toPlainString();
    }
}
