package dev.trama.e2e;

import java.nio.charset.StandardCharsets;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * Sends one request as raw frames, bypassing every check of the console, and prints the reply frames.
 * Run inside a host's namespace: {@code java -cp ... RawRequest ENDPOINT METHOD BODY}.
 */
public final class RawRequest {

    private RawRequest() {
    }

    public static void main(String[] args) {
        try (ZContext context = new ZContext()) {
            ZMQ.Socket req = context.createSocket(SocketType.REQ);
            req.setReceiveTimeOut(10_000);
            req.setHandshakeIvl(1_000);
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
