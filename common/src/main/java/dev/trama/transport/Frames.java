package dev.trama.transport;

import java.util.ArrayList;
import java.util.List;
import org.zeromq.ZMQ;
import org.zeromq.ZMsg;

/** Moving frame lists on and off sockets. */
final class Frames {

    private Frames() {
    }

    /** Receives one multipart message, or {@code null} when the socket's receive timeout passes first. */
    static List<byte[]> receive(ZMQ.Socket socket) {
        ZMsg message = ZMsg.recvMsg(socket);
        if (message == null) {
            return null;
        }
        List<byte[]> frames = new ArrayList<>(message.size());
        message.forEach(frame -> frames.add(frame.getData()));
        message.destroy();
        return frames;
    }

    static boolean send(ZMQ.Socket socket, List<byte[]> frames) {
        for (int i = 0; i < frames.size(); i++) {
            boolean more = i < frames.size() - 1;
            if (!socket.send(frames.get(i), more ? ZMQ.SNDMORE : 0)) {
                return false;
            }
        }
        return true;
    }

    static List<byte[]> prepend(byte[] first, List<byte[]> rest) {
        List<byte[]> frames = new ArrayList<>(rest.size() + 1);
        frames.add(first);
        frames.addAll(rest);
        return frames;
    }
}
