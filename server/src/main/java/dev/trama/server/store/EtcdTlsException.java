package dev.trama.server.store;

import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.TramaException;

/**
 * etcd was reached but the two sides do not agree on TLS: a handshake failed (a certificate neither side
 * trusts, a client certificate etcd refuses), or etcd speaks TLS to a client that does not. Unlike an
 * etcd that does not answer, trying again will not help: the files or the endpoint must change. To
 * everything that only knows {@link KeyValueStore}, the store is unavailable.
 */
public final class EtcdTlsException extends TramaException {

    EtcdTlsException(String message, Throwable cause) {
        super(ErrorCode.STORE_UNAVAILABLE, message, cause);
    }
}
