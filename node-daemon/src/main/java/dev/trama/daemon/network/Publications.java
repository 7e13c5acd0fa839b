package dev.trama.daemon.network;

import java.util.List;

/** Where {@link NodeNetwork} reads what the node's containers publish, each time it converges their rules. */
@FunctionalInterface
public interface Publications {

    /** Nothing is published: the rules of published ports are removed. */
    Publications NONE = List::of;

    /** What the node's containers publish now; throws when that cannot be told (e.g. the engine does not answer). */
    List<Publication> current();
}
