package dev.trama.server.store;

import io.netty.handler.ssl.SslContextBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * The PEM files of a TLS connection to an etcd that checks client certificates: the CA that signed etcd's
 * certificate, and this client's certificate with its private key (PKCS#8, as openssl 3 writes them).
 * {@link #configure} reads them and refuses, naming the file, one that is missing or is not what it should be.
 */
public record EtcdTls(Path caCert, Path cert, Path key) {

    public EtcdTls {
        Objects.requireNonNull(caCert, "caCert");
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(key, "key");
    }

    /** Puts the CA and the client's certificate and key into the builder; IllegalArgumentException for a bad file. */
    void configure(SslContextBuilder builder) {
        builder.trustManager(certificates(caCert, "CA certificate"));
        certificates(cert, "client certificate");
        readable(key, "client key");
        try {
            builder.keyManager(cert.toFile(), key.toFile());
        } catch (IllegalArgumentException e) {
            // the certificate was read above: what netty could not read is the key
            throw refused(key, "client key", "not a PEM private key in PKCS#8 form (`openssl pkcs8 -topk8 -nocrypt -in "
                    + key + "` converts one)");
        }
    }

    private static X509Certificate[] certificates(Path file, String what) {
        readable(file, what);
        try {
            byte[] pem = Files.readAllBytes(file);
            // netty reads PEM only, though the JDK would take DER too
            if (!new String(pem, StandardCharsets.ISO_8859_1).contains("-----BEGIN CERTIFICATE-----")) {
                throw refused(file, what, "not a PEM certificate");
            }
            return CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem)).stream()
                    .map(X509Certificate.class::cast)
                    .toArray(X509Certificate[]::new);
        } catch (CertificateException e) {
            throw refused(file, what, "not a PEM certificate");
        } catch (IOException e) {
            throw refused(file, what, e.getMessage());
        }
    }

    private static void readable(Path file, String what) {
        if (!Files.exists(file)) {
            throw refused(file, what, "no such file");
        }
        if (!Files.isRegularFile(file)) {
            throw refused(file, what, "not a file");
        }
        if (!Files.isReadable(file)) {
            throw refused(file, what, "permission denied");
        }
    }

    private static IllegalArgumentException refused(Path file, String what, String why) {
        return new IllegalArgumentException("cannot use etcd " + what + " " + file + ": " + why);
    }
}
