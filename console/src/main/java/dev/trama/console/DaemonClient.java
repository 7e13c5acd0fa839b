package dev.trama.console;

import dev.trama.identity.ConsoleKeys;
import dev.trama.protocol.ErrorCode;
import dev.trama.protocol.Request;
import dev.trama.protocol.TramaException;
import dev.trama.transport.Endpoints;
import dev.trama.transport.RequestClient;
import dev.trama.transport.Sockets;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The console's only connection: REQ to the daemon on 127.0.0.1. It keeps no state between calls. */
public final class DaemonClient implements AutoCloseable {

    /** Enough for a daemon to wait for its node (60 s by default) and answer. */
    static final Duration LONG = Duration.ofSeconds(150);
    static final Duration SHORT = Duration.ofSeconds(15);

    private final int port;
    private final Sockets sockets;
    private final RequestClient client;

    /** A client of the daemon on this port, with the console keys only root (and the trama group) may read. */
    public DaemonClient(int port) {
        this.port = Endpoints.port(port);
        ConsoleKeys keys = keys(port);
        this.sockets = Sockets.curve(keys.console());
        this.client = new RequestClient(sockets, List.of(Endpoints.tcp("127.0.0.1", port)), keys.daemonKey(), SHORT, 1,
                "the Trama daemon on this host");
    }

    private static ConsoleKeys keys(int port) {
        Path file = ConsoleKeys.file(port);
        try {
            return ConsoleKeys.read(file);
        } catch (AccessDeniedException e) {
            throw new TramaException(ErrorCode.NOT_ALLOWED, "permission denied: run as root or as a member of the "
                    + ConsoleKeys.GROUP + " group");
        } catch (NoSuchFileException e) {
            throw noDaemon(port);
        } catch (IOException e) {
            throw new TramaException(ErrorCode.UNAVAILABLE, "cannot read the console keys of the daemon on port " + port
                    + ": " + e.getMessage());
        }
    }

    /** A quick question: reads of state. */
    public <R> R ask(Request<R> request) {
        requireListening();
        return client.call(request, SHORT, 2);
    }

    /** An action that may take a node a while (configure, run, rm, leave); never sent twice. */
    public <R> R act(Request<R> request) {
        requireListening();
        return client.call(request, LONG, 1);
    }

    /** Fails at once, with a clear sentence, when no daemon listens: ZeroMQ alone would wait for one. */
    private void requireListening() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1_000);
        } catch (IOException e) {
            throw noDaemon(port);
        }
    }

    private static TramaException noDaemon(int port) {
        return new TramaException(ErrorCode.UNAVAILABLE, "no Trama daemon is running on this host (nothing listens on 127.0.0.1:"
                + port + "); start one with trama-daemon NODE_NAME SERVER_HOST");
    }

    @Override
    public void close() {
        client.close();
        sockets.close();
    }
}
