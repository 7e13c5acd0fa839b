package dev.trama.e2e;

import dev.trama.protocol.Codec;
import dev.trama.protocol.ServerRequest;
import dev.trama.transport.CurveKeyPair;
import java.util.List;
import org.zeromq.SocketType;
import org.zeromq.ZContext;
import org.zeromq.ZMQ;

/**
 * An outsider with a key of its own sends requests to a server as fast as it can, never waiting for an answer,
 * then counts the answers that came. Run inside a host's namespace:
 * {@code java -cp ... Flood ENDPOINT SERVER_KEY COUNT}.
 */
public final class Flood {

    private Flood() {
    }

    public static void main(String[] args) {
        int count = Integer.parseInt(args[2]);
        CurveKeyPair mine = CurveKeyPair.generate();
        List<byte[]> request = Codec.encode(new ServerRequest.GetCluster());
        try (ZContext context = new ZContext()) {
            ZMQ.Socket dealer = context.createSocket(SocketType.DEALER);
            dealer.setCurvePublicKey(ZMQ.Curve.z85Decode(mine.publicKey()));
            dealer.setCurveSecretKey(ZMQ.Curve.z85Decode(mine.secretKey()));
            dealer.setCurveServerKey(ZMQ.Curve.z85Decode(args[1]));
            dealer.setSndHWM(0);
            dealer.setRcvHWM(0);
            dealer.connect(args[0]);
            for (int i = 0; i < count; i++) {
                dealer.sendMore(new byte[0]);
                dealer.sendMore(request.get(0));
                dealer.send(request.get(1));
            }
            dealer.setReceiveTimeOut(5_000);
            int answers = 0;
            while (dealer.recv() != null) {
                answers++;
            }
            System.out.println("sent " + count + ", frames back " + answers);
        }
    }
}
