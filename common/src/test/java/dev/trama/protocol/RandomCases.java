package dev.trama.protocol;

import java.security.SecureRandom;
import java.util.Random;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Runs a property over many random inputs. Each run draws a new seed, so runs explore different inputs;
 * a failure names the seed and the input, and {@code -Dtrama.seed=SEED} replays the same run.
 */
final class RandomCases {

    private static final int SHOWN_CHARS = 2_000;

    private RandomCases() {
    }

    static <T> void forAll(int cases, Function<Random, T> generate, Consumer<T> property) {
        long seed = Long.getLong("trama.seed", new SecureRandom().nextLong());
        Random seeds = new Random(seed);
        for (int i = 0; i < cases; i++) {
            T input = generate.apply(new Random(seeds.nextLong()));
            try {
                property.accept(input);
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("case " + i + " of seed " + seed + " failed (replay with -Dtrama.seed=" + seed
                        + ") on " + shown(input) + ": " + e, e);
            }
        }
    }

    /** The input as Java would spell it: every character outside printable ASCII escaped, long text cut. */
    private static String shown(Object input) {
        String text = String.valueOf(input);
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < text.length() && shown.length() < SHOWN_CHARS; i++) {
            char c = text.charAt(i);
            shown.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format("\\u%04x", (int) c));
        }
        return shown.length() < SHOWN_CHARS ? shown.toString() : shown + "... (" + text.length() + " chars)";
    }
}
