package dev.trama.daemon.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.trama.protocol.Task;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/** The resolver on real sockets on loopback, with a stand-in for the host's nameserver on another address. */
class ResolverTest {

    private static final InetAddress LOOPBACK = address("127.0.0.1");
    private static final InetAddress UPSTREAM = address("127.0.0.2");

    @TempDir
    Path dir;
    private DatagramSocket upstream;
    private Thread upstreamThread;
    private Resolver resolver;

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @BeforeEach
    void aResolverAndTheHostsNameserver() throws Exception {
        upstream = new DatagramSocket(new InetSocketAddress(UPSTREAM, 0));
        upstreamThread = new Thread(this::answerAsTheHostsNameserver, "upstream");
        upstreamThread.setDaemon(true);
        upstreamThread.start();
        Path conf = dir.resolve("resolv.conf");
        Files.writeString(conf, "nameserver 127.0.0.1\nnameserver 127.0.0.2\n");
        resolver = new Resolver(conf, 0, upstream.getLocalPort());
        resolver.names(new Task.Names(1, Map.of("web2", "10.10.0.7")));
        resolver.serveOn(LOOPBACK);
    }

    /** Answers outside.example. with 203.0.113.10, anything else with NXDOMAIN. */
    private void answerAsTheHostsNameserver() {
        byte[] buffer = new byte[512];
        while (!upstream.isClosed()) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                upstream.receive(packet);
                Message query = new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength()));
                Message response = Answers.reply(query, Rcode.NOERROR);
                if (query.getQuestion().getName().equals(Name.fromString("outside.example."))) {
                    response.addRecord(new ARecord(query.getQuestion().getName(), DClass.IN, 60,
                            InetAddress.getByName("203.0.113.10")), Section.ANSWER);
                } else {
                    response.getHeader().setRcode(Rcode.NXDOMAIN);
                }
                byte[] wire = response.toWire();
                upstream.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
            } catch (IOException e) {
                return;
            }
        }
    }

    @AfterEach
    void close() {
        resolver.close();
        upstream.close();
    }

    private Message ask(String name, boolean tcp) throws Exception {
        SimpleResolver client = new SimpleResolver(new InetSocketAddress(LOOPBACK, resolver.address().getPort()));
        client.setTCP(tcp);
        client.setTimeout(Duration.ofSeconds(5));
        return client.send(AnswersTest.query(name, Type.A));
    }

    private static String address(Message response) {
        return ((ARecord) response.getSection(Section.ANSWER).get(0)).getAddress().getHostAddress();
    }

    @Test
    void theClustersNamesOverUdpAndTcp() throws Exception {
        assertThat(address(ask("web2.trama.", false))).isEqualTo("10.10.0.7");
        assertThat(address(ask("web2.trama.", true))).isEqualTo("10.10.0.7");
        assertThat(ask("web9.trama.", false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void otherNamesGoToTheHostsNameserverButNeverToTheResolverItself() throws Exception {
        Message outside = ask("outside.example.", false);
        assertThat(outside.getHeader().getFlag(Flags.AA)).isFalse();
        assertThat(address(outside)).isEqualTo("203.0.113.10");
        assertThat(ask("nowhere.example.", false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void newNamesAreAnsweredAtOnce() throws Exception {
        resolver.names(new Task.Names(2, Map.of("web3", "10.10.0.9")));
        assertThat(address(ask("web3.trama.", false))).isEqualTo("10.10.0.9");
        assertThat(ask("web2.trama.", false).getRcode()).isEqualTo(Rcode.NXDOMAIN);
    }

    @Test
    void malformedDatagramsAndResponsesAreDropped() throws Exception {
        try (DatagramSocket client = new DatagramSocket()) {
            client.setSoTimeout(300);
            InetSocketAddress to = resolver.address();
            byte[] junk = {1, 2, 3};
            byte[] response = Answers.reply(AnswersTest.query("web2.trama.", Type.A), Rcode.NOERROR).toWire();
            for (byte[] bytes : new byte[][] {junk, response}) {
                client.send(new DatagramPacket(bytes, bytes.length, to));
                assertThatThrownBy(() -> client.receive(new DatagramPacket(new byte[512], 512)))
                        .isInstanceOf(SocketTimeoutException.class);
            }
        }
        assertThat(address(ask("web2.trama.", false))).isEqualTo("10.10.0.7");
    }

    @Test
    void aStoppedResolverHoldsNoPort() throws Exception {
        InetSocketAddress was = resolver.address();
        resolver.stop();
        assertThat(resolver.address()).isNull();
        try (DatagramSocket again = new DatagramSocket(was)) {
            assertThat(again.getLocalPort()).isEqualTo(was.getPort());
        }
    }
}
