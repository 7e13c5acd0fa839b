package dev.trama.e2e;

import dev.trama.identity.ConsoleKeys;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Sends one request as raw frames to a daemon's console port, bypassing every check of the console, and prints
 * the reply frames. It holds the console's keys as root does (the port admits no one else). Run inside a host's
 * namespace: {@code java -cp ... RawRequest ENDPOINT METHOD BODY}.
 */
public final class RawRequest {

    private RawRequest() {
    }

    public static void main(String[] args) throws Exception {
        ConsoleKeys keys = ConsoleKeys.read(ConsoleKeys.file(URI.create(args[0]).getPort()));
        try (ZContext context = new ZContext()) {
            ZMQ.Socket req = context.createSocket(SocketType.REQ);
            req.setReceiveTimeOut(10_000);
            req.setHandshakeIvl(1_000);
            req.setCurvePublicKey(ZMQ.Curve.z85Decode(keys.console().publicKey()));
            req.setCurveSecretKey(ZMQ.Curve.z85Decode(keys.console().secretKey()));
            req.setCurveServerKey(ZMQ.Curve.z85Decode(keys.daemonKey()));
            req.connect(args[0]);
            req.sendMore(args[1]);
            req.send(args[2]);
            byte[] kind = req.recv();
            if (kind == null) {
                System.out.println("no reply");
                System.exit(1);
            }
            System.out.println(new String(kind, StandardCharsets.UTF_8));
            System.out.println(req.recvStr());
        }
    }
}
