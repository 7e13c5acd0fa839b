package dev.trama.server.cluster;

/** Thrown inside a claim when state other than the address changed meanwhile: read again and retry. */
final class Contention extends RuntimeException {

    Contention() {
        super("cluster state changed meanwhile", null, false, false);
    }
}
