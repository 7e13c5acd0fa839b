package dev.trama.server.cluster;

import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The loop every change of cluster state runs in: read, decide, commit one transaction guarded by what was
 * read; when a guard fails (another server or thread changed it meanwhile), read again. A few rounds settle
 * any real contention; past them the caller's sentence tells the user what kept changing.
 */
final class Optimistic {

    /** One round: its result, or empty when its transaction's guards failed and it must read again. */
    @FunctionalInterface
    interface Round<T> {
        Optional<T> attempt();
    }

    static final int ROUNDS = 8;
    private static final Logger log = LoggerFactory.getLogger(Optimistic.class);

    private Optimistic() {
    }

    /**
     * Runs rounds until one settles. A round may also throw {@link Contention} to ask for another.
     *
     * @param failure the sentence for the user when no round settled, e.g. "node 'n1' kept changing while
     *                registering; try again"
     */
    static <T> T until(String failure, Round<T> round) {
        for (int i = 0; i < ROUNDS; i++) {
            try {
                Optional<T> result = round.attempt();
                if (result.isPresent()) {
                    return result.get();
                }
            } catch (Contention e) {
                // read again
            }
            log.debug("contended, round {}: {}", i, failure);
        }
        throw new TramaException(ErrorCode.UNAVAILABLE, failure);
    }

    /** As {@link #until}, for a round that has nothing to return: it says whether its transaction applied. */
    static void untilCommitted(String failure, BooleanSupplier round) {
        until(failure, () -> round.getAsBoolean() ? Optional.of(Boolean.TRUE) : Optional.empty());
    }
}
