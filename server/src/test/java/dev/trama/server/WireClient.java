package dev.trama.server;

import dev.trama.protocol.Codec;
import dev.trama.protocol.Request;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/** A plain ZeroMQ client of the server for tests: raw REQ, SUB and PUSH sockets, nothing of Trama's transport. */
final class WireClient implements AutoCloseable {

    final ZContext context = new ZContext();
    private final String host;
    private final int repPort;

    WireClient(String host, int repPort) {
        this.host = host;
        this.repPort = repPort;
    }

    /** Sends frames on a fresh REQ socket and returns the reply frames, or null after the timeout. */
    List<byte[]> exchange(List<byte[]> frames, int timeoutMs) {
        ZMQ.Socket req = context.createSocket(SocketType.REQ);
        try {
            req.setLinger(0);
            req.setReceiveTimeOut(timeoutMs);
            // JeroMQ 0.6.0 stalls some fresh handshakes until this interval ends them (see Sockets)
            req.setHandshakeIvl(1_000);
            req.connect("tcp://" + host + ":" + repPort);
            for (int i = 0; i < frames.size(); i++) {
                req.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
            }
            return receive(req);
        } finally {
            req.close();
        }
    }

    <R> R call(Request<R> request) {
        List<byte[]> reply = exchange(Codec.encode(request), 10_000);
        if (reply == null) {
            throw new AssertionError("no reply to " + Codec.methodOf(request.getClass()));
        }
        return Codec.decodeReply(reply, Codec.resultType(request));
    }

    ZMQ.Socket subscribe(int pubPort, String... topics) {
        ZMQ.Socket sub = context.createSocket(SocketType.SUB);
        sub.setLinger(0);
        sub.setHandshakeIvl(1_000);
        sub.connect("tcp://" + host + ":" + pubPort);
        for (String topic : topics) {
            sub.subscribe(topic.getBytes(StandardCharsets.UTF_8));
        }
        return sub;
    }

    ZMQ.Socket push(int pullPort) {
        ZMQ.Socket push = context.createSocket(SocketType.PUSH);
        push.setLinger(1_000);
        push.setHandshakeIvl(1_000);
        push.connect("tcp://" + host + ":" + pullPort);
        return push;
    }

    static void send(ZMQ.Socket socket, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            socket.send(frames.get(i), i < frames.size() - 1 ? ZMQ.SNDMORE : 0);
        }
    }

    static List<byte[]> receive(ZMQ.Socket socket) {
        ZMsg message = ZMsg.recvMsg(socket);
        if (message == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>();
        message.forEach(f -> frames.add(f.getData()));
        return frames;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        context.close();
    }
}
