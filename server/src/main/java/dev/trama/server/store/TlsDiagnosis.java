package dev.trama.server.store;

import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Tells, from the failure of a first contact with etcd, a disagreement on TLS from an etcd that is not
 * there. A failed handshake leaves an {@link SSLException} among the failure's causes. A client without
 * TLS talking to an etcd that wants TLS sees only a connection closed without a word, as it would from
 * an etcd going down: so when a connection was made and then lost, a TLS handshake of its own asks the
 * endpoints whether they answer with a certificate.
 */
final class TlsDiagnosis {

    private TlsDiagnosis() {
    }

    /** Why the contact failed, if TLS is the reason; empty when etcd may just not be there yet. */
    static Optional<String> of(Throwable failure, boolean clientUsesTls, List<URI> endpoints, Duration timeout) {
        if (Status.fromThrowable(failure).getCode() != Status.Code.UNAVAILABLE) {
            return Optional.empty();
        }
        // a connection lost mid-handshake is a ClosedChannelException (netty only attaches its SSL exception
        // as suppressed): an SSLException among the causes is TLS itself refusing
        Optional<SSLException> handshake = cause(failure, SSLException.class);
        if (handshake.isPresent()) {
            return Optional.of("TLS handshake failed (" + deepestMessage(handshake.get()) + ")");
        }
        boolean connected = cause(failure, ConnectException.class).isEmpty() && cause(failure, UnknownHostException.class).isEmpty();
        if (!clientUsesTls && connected && endpoints.stream().anyMatch(e -> showsCertificate(e, timeout))) {
            return Optional.of("it expects TLS (an https:// endpoint, a CA certificate, a client certificate and its key)");
        }
        return Optional.empty();
    }

    /** The innermost message of a failure, on one line: what a person can act on. */
    static String deepestMessage(Throwable failure) {
        String message = null;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String own = t instanceof StatusRuntimeException || t instanceof StatusException
                    ? Status.fromThrowable(t).getDescription() : t.getMessage();
            if (own != null && !own.isBlank()) {
                message = own;
            }
        }
        return message == null ? failure.getClass().getSimpleName() : message.lines().findFirst().orElse(message).strip();
    }

    private static <T extends Throwable> Optional<T> cause(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return Optional.of(type.cast(t));
            }
        }
        return Optional.empty();
    }

    /** Whether the endpoint answers a TLS client hello with a certificate; the handshake stops right there. */
    private static boolean showsCertificate(URI endpoint, Duration timeout) {
        if (endpoint.getHost() == null || endpoint.getPort() < 0) {
            return false;
        }
        int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        CertificateSeen seen = new CertificateSeen();
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[] {seen}, null);
            try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket()) {
                socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), millis);
                socket.setSoTimeout(millis);
                socket.startHandshake();
            }
        } catch (IOException | GeneralSecurityException expected) {
            // the handshake ends in failure by design once the certificate has been seen
        }
        return seen.shown;
    }

    /** Trusts nothing, and remembers that a server showed a certificate. */
    private static final class CertificateSeen implements X509TrustManager {
        private volatile boolean shown;

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            shown = chain != null && chain.length > 0;
            throw new CertificateException("only asked whether the server speaks TLS");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
