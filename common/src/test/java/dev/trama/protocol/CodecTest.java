package dev.trama.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class CodecTest {

    private static final Codec SERVER = new Codec(ServerRequest.class);
    private static final Codec CONSOLE = new Codec(ConsoleRequest.class);
    private static final Codec TASKS = new Codec(Task.class);
    private static final Codec REPORTS = new Codec(Report.class);

    static Stream<Object[]> everyMessage() {
        List<Object[]> cases = new ArrayList<>();
        Samples.serverRequests().forEach(m -> cases.add(new Object[] {SERVER, m}));
        Samples.consoleRequests().forEach(m -> cases.add(new Object[] {CONSOLE, m}));
        Samples.tasks().forEach(m -> cases.add(new Object[] {TASKS, m}));
        Samples.reports().forEach(m -> cases.add(new Object[] {REPORTS, m}));
        return cases.stream();
    }

    @ParameterizedTest
    @MethodSource("everyMessage")
    void everyMessageRoundTrips(Codec codec, Object message) {
        List<byte[]> frames = Codec.encode(message);
        assertThat(frames).hasSize(2);
        assertThat(text(frames.get(0))).isEqualTo(Codec.methodOf(message.getClass()));
        assertThat(text(frames.get(1))).startsWith("{\"v\":1");
        assertThat(codec.decode(frames)).isEqualTo(message);
    }

    @Test
    void theSamplesCoverEveryKindOfEveryFamily() {
        assertThat(kinds(Samples.serverRequests())).containsAll(List.of(ServerRequest.class.getPermittedSubclasses()));
        assertThat(kinds(Samples.consoleRequests())).containsAll(List.of(ConsoleRequest.class.getPermittedSubclasses()));
        assertThat(kinds(Samples.tasks())).containsAll(List.of(Task.class.getPermittedSubclasses()));
        assertThat(kinds(Samples.reports())).containsAll(List.of(Report.class.getPermittedSubclasses()));
    }

    @ParameterizedTest
    @MethodSource("dev.trama.protocol.Samples#results")
    void everyResultRoundTripsAsAnOkReply(Object result) {
        assertThat(Codec.decodeReply(Codec.ok(result), result.getClass())).isEqualTo(result);
    }

    @Test
    void anErrorReplyIsRethrownWithItsCodeAndSentence() {
        List<byte[]> reply = Codec.error(ErrorCode.ALREADY_EXISTS, "container 'web' already exists on node 'n2'");
        assertThatThrownBy(() -> Codec.decodeReply(reply, ClusterView.class))
                .isInstanceOf(TramaException.class)
                .hasMessage("container 'web' already exists on node 'n2'")
                .extracting(e -> ((TramaException) e).code()).isEqualTo(ErrorCode.ALREADY_EXISTS);
    }

    @Test
    void requestsKnowTheirResultType() {
        assertThat(Codec.resultType(new ServerRequest.GetCluster())).isEqualTo(ClusterView.class);
        assertThat(Codec.resultType(new ServerRequest.RegisterNode("n1", "192.0.2.1"))).isEqualTo(Replies.NodeRegistered.class);
        assertThat(Codec.resultType(new ConsoleRequest.Run("n1", "a", null, null, null, null))).isEqualTo(ContainerInfo.class);
    }

    @Test
    void wrongFrameCountsAreMalformed() {
        assertCode(() -> SERVER.decode(List.of()), ErrorCode.MALFORMED);
        assertCode(() -> SERVER.decode(List.of(utf8("cluster.get"))), ErrorCode.MALFORMED);
        assertCode(() -> SERVER.decode(List.of(utf8("cluster.get"), utf8("{\"v\":1}"), utf8("x"))), ErrorCode.MALFORMED);
    }

    @Test
    void unknownMethodsAndMethodsOfAnotherFamilyAreRefused() {
        assertCode(() -> SERVER.decode(List.of(utf8("shutdown"), utf8("{\"v\":1}"))), ErrorCode.UNKNOWN_METHOD);
        assertCode(() -> SERVER.decode(Codec.encode(new Task.CollectMetrics())), ErrorCode.UNKNOWN_METHOD);
        assertCode(() -> SERVER.decode(List.of(new byte[] {(byte) 0xff, 0, 1}, utf8("{\"v\":1}"))), ErrorCode.UNKNOWN_METHOD);
    }

    @Test
    void bodiesThatAreNotTheRightJsonAreMalformed() {
        for (String body : List.of("", "not json", "[1,2]", "\"text\"", "42", "{\"v\":1", "{\"v\":1} trailing",
                "{\"name\":\"n1\",\"address\":\"192.0.2.1\"}", "{\"v\":\"one\",\"name\":\"n1\"}",
                "{\"v\":1,\"name\":[\"n1\"],\"address\":\"192.0.2.1\"}")) {
            assertCode(() -> SERVER.decode(List.of(utf8("node.register"), utf8(body))), ErrorCode.MALFORMED);
        }
    }

    @Test
    void anotherProtocolVersionIsRefusedAsSuch() {
        assertCode(() -> SERVER.decode(List.of(utf8("cluster.get"), utf8("{\"v\":2}"))), ErrorCode.UNSUPPORTED_VERSION);
    }

    @Test
    void invalidValuesAreRefusedWithTheFieldsSentence() {
        List<byte[]> frames = List.of(utf8("node.register"), utf8("{\"v\":1,\"name\":\"a;rm -rf /\",\"address\":\"192.0.2.1\"}"));
        assertThatThrownBy(() -> SERVER.decode(frames))
                .isInstanceOf(TramaException.class)
                .hasMessageStartingWith("node name 'a;rm -rf /' is invalid")
                .extracting(e -> ((TramaException) e).code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
        List<byte[]> noName = List.of(utf8("node.register"), utf8("{\"v\":1,\"address\":\"192.0.2.1\"}"));
        assertCode(() -> SERVER.decode(noName), ErrorCode.INVALID_ARGUMENT);
        List<byte[]> badSegment = List.of(utf8("node.configure"), utf8("{\"v\":1,\"node\":\"n1\",\"subnet\":\"10.0.0.0/30\"}"));
        assertCode(() -> SERVER.decode(badSegment), ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void aTableOfNamesHoldsValidNamesAndAddressesOnly() {
        assertCode(() -> TASKS.decode(List.of(utf8("names.changed"),
                utf8("{\"v\":1,\"revision\":3,\"addresses\":{\"web\":\"10.10.0.5/16\"}}"))), ErrorCode.INVALID_ARGUMENT);
        assertCode(() -> TASKS.decode(List.of(utf8("names.changed"),
                utf8("{\"v\":1,\"revision\":3,\"addresses\":{\"a b\":\"10.10.0.5\"}}"))), ErrorCode.INVALID_ARGUMENT);
        assertCode(() -> TASKS.decode(List.of(utf8("names.changed"),
                utf8("{\"v\":1,\"revision\":-1,\"addresses\":{}}"))), ErrorCode.INVALID_ARGUMENT);
    }

    @Test
    void unknownFieldsAreIgnoredSoNewerPeersCanAddThem() {
        List<byte[]> frames = List.of(utf8("node.register"),
                utf8("{\"v\":1,\"name\":\"n1\",\"address\":\"192.0.2.1\",\"labels\":{\"zone\":\"a\"}}"));
        assertThat(SERVER.decode(frames)).isEqualTo(new ServerRequest.RegisterNode("n1", "192.0.2.1"));
    }

    @Test
    void oversizedMessagesAreRefusedBeforeParsing() {
        byte[] huge = new byte[Codec.MAX_MESSAGE_BYTES + 1];
        Arrays.fill(huge, (byte) ' ');
        assertCode(() -> SERVER.decode(List.of(utf8("cluster.get"), huge)), ErrorCode.TOO_LARGE);
    }

    @Test
    void repliesOfAnUnknownKindAreMalformed() {
        assertCode(() -> Codec.decodeReply(List.of(utf8("maybe"), utf8("{\"v\":1}")), ClusterView.class), ErrorCode.MALFORMED);
    }

    private static List<Class<?>> kinds(List<Object> messages) {
        return messages.stream().<Class<?>>map(Object::getClass).toList();
    }

    private static void assertCode(org.assertj.core.api.ThrowableAssert.ThrowingCallable call, ErrorCode code) {
        assertThatThrownBy(call).isInstanceOf(TramaException.class)
                .extracting(e -> ((TramaException) e).code()).isEqualTo(code);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
