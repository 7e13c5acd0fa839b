package dev.trama.transport;

import java.util.ArrayList;
import java.util.List;
import org.zeromq.ZMQ;
import org.zeromq.ZMQException;
import zmq.Msg;
import zmq.SocketBase;
import zmq.ZError;
import zmq.io.Metadata;

/** Moving frame lists on and off sockets. */
final class Frames {

    /**
     * What a CURVE server socket makes of a message that carries no identity. JeroMQ 0.6.0 hands up one frame
     * still encrypted, with neither metadata nor its MORE flag, when a peer's inbound queue was full (its
     * {@code StreamEngine.pushOneThenDecodeAndPush} pushes the raw frame instead of the decrypted one): such
     * a message, and the rest of the one it was cut from, must never pass for anyone's.
     */
    static final String UNAUTHENTICATED = "a message without a CURVE identity (a frame of a flooding peer's message)";

    private Frames() {
    }

    /**
     * One multipart message as read: the first frames, however many there were in all, and who sent it.
     *
     * @param frames the first frames of the message, at most as many as the reader keeps
     * @param count  how many frames the message had in all
     */
    record Inbound(List<byte[]> frames, int count, Peer peer) {

        /** Whether every frame of the message is in {@link #frames}. */
        boolean complete() {
            return frames.size() == count;
        }
    }

    /**
     * Receives one multipart message whole, or {@code null} when the socket's receive timeout passes first.
     * Kept for callers that trust their peer; {@link #receive(ZMQ.Socket, int)} bounds what is kept.
     */
    static List<byte[]> receive(ZMQ.Socket socket) {
        Inbound message = receive(socket, Integer.MAX_VALUE);
        return message == null ? null : message.frames();
    }

    /**
     * Receives one multipart message, keeping at most {@code keep} of its frames and reading the rest off
     * the socket without keeping them; {@code null} when the socket's receive timeout passes first. The
     * sender is read from the message's metadata, which ZeroMQ attaches to the frames a peer sent.
     */
    static Inbound receive(ZMQ.Socket socket, int keep) {
        SocketBase base = socket.base();
        Msg part = base.recv(0);
        if (part == null) {
            raiseUnlessTimedOut(base);
            return null;
        }
        List<byte[]> frames = new ArrayList<>(Math.min(keep, 4));
        int count = 0;
        Metadata metadata = null;
        while (true) {
            count++;
            if (frames.size() < keep) {
                frames.add(part.data());
            }
            if (metadata == null) {
                metadata = part.getMetadata();
            }
            if (!part.hasMore()) {
                break;
            }
            // the parts of a message arrive together: the next one is there unless the socket is closing
            part = base.recv(0);
            if (part == null) {
                raiseUnlessTimedOut(base);
                break;
            }
        }
        return new Inbound(frames, count, peer(metadata));
    }

    private static Peer peer(Metadata metadata) {
        if (metadata == null) {
            return Peer.UNKNOWN;
        }
        String identity = metadata.get(Metadata.USER_ID);
        String address = metadata.get(Metadata.PEER_ADDRESS);
        return new Peer(identity == null || identity.isEmpty() ? null : identity,
                address == null || address.isEmpty() ? null : address);
    }

    private static void raiseUnlessTimedOut(SocketBase base) {
        int errno = base.errno();
        if (errno != 0 && errno != ZError.EAGAIN) {
            throw new ZMQException(errno);
        }
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

    static long size(List<byte[]> frames) {
        long size = 0;
        for (byte[] frame : frames) {
            size += frame.length;
        }
        return size;
    }
}
