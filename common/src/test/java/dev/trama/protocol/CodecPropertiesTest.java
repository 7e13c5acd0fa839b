package dev.trama.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Whatever arrives, a decoder returns a valid record or throws {@link TramaException} with a printable
 * sentence; a record it returns holds only clean text and survives being encoded and decoded again.
 */
class CodecPropertiesTest {

    private static final Codec SERVER = new Codec(ServerRequest.class);
    private static final Codec CONSOLE = new Codec(ConsoleRequest.class);
    private static final Codec TASKS = new Codec(Task.class);
    private static final Codec REPORTS = new Codec(Report.class);

    /** Fields whose text goes to a container as it is (its environment and command), not to a screen or a log. */
    private static final List<String> CONTAINER_TEXT = List.of("env", "command");

    /** One kind of message: its method frame, how it is decoded, and how a decoded one is encoded again. */
    /** A message kind; {@code family} is what its decoder may return (a sealed family, or the reply's own type). */
    record Kind(String method, Class<?> type, Class<?> family, Function<List<byte[]>, Object> decoder,
                Function<Object, List<byte[]>> encoder) {
        @Override
        public String toString() {
            return method + " " + type.getSimpleName();
        }
    }

    static List<Kind> kinds() {
        List<Kind> kinds = new ArrayList<>();
        addFamily(kinds, SERVER, ServerRequest.class);
        addFamily(kinds, CONSOLE, ConsoleRequest.class);
        addFamily(kinds, TASKS, Task.class);
        addFamily(kinds, REPORTS, Report.class);
        Samples.results().stream().map(Object::getClass).distinct().forEach(type -> kinds.add(
                new Kind(Codec.OK, type, type, frames -> Codec.decodeReply(frames, type), Codec::ok)));
        // an error reply never decodes: it is rethrown, and checked by its round trip as an error
        kinds.add(new Kind(Codec.ERROR, Failure.class, Failure.class, frames -> Codec.decodeReply(frames, Failure.class), Codec::ok));
        return kinds;
    }

    private static void addFamily(List<Kind> kinds, Codec codec, Class<?> family) {
        for (Class<?> type : family.getPermittedSubclasses()) {
            kinds.add(new Kind(Codec.methodOf(type), type, family, codec::decode, Codec::encode));
        }
    }

    record Frames(Kind kind, List<byte[]> frames) {
        @Override
        public String toString() {
            return kind + " from " + frames.stream().map(f -> f.length + " bytes '"
                    + new String(f, 0, Math.min(f.length, 200), StandardCharsets.UTF_8) + "'")
                    .collect(Collectors.joining(", ", "[", "]"));
        }
    }

    record Message(Kind kind, String body) {
        List<byte[]> frames() {
            return List.of(utf8(kind.method()), utf8(body));
        }

        @Override
        public String toString() {
            return kind + " " + body;
        }
    }

    @Test
    void randomFramesDecodeToARecordOrAreRefused() {
        List<Kind> kinds = kinds();
        List<String> words = kinds.stream().map(Kind::method).distinct().toList();
        RandomCases.forAll(250, random -> new Frames(WireJson.pick(random, kinds), frames(random, words)),
                input -> decodeOrRefuse(input.kind(), input.frames()));
    }

    @Test
    void aMessageAroundTheSizeLimitIsRefusedAsTooLargeExactlyWhenItExceedsIt() {
        List<Kind> kinds = kinds();
        RandomCases.forAll(60, random -> {
            Kind kind = WireJson.pick(random, kinds);
            int total = Codec.MAX_MESSAGE_BYTES - 8 + random.nextInt(17);
            return new Frames(kind, List.of(utf8(kind.method()), paddedBody(total - kind.method().length())));
        }, input -> {
            int total = input.frames().get(0).length + input.frames().get(1).length;
            assertThat(refusal(input.kind(), input.frames()) == ErrorCode.TOO_LARGE).as("refused as too large at %d bytes", total)
                    .isEqualTo(total > Codec.MAX_MESSAGE_BYTES);
            decodeOrRefuse(input.kind(), input.frames());
        });
    }

    private static ErrorCode refusal(Kind kind, List<byte[]> frames) {
        try {
            kind.decoder().apply(frames);
            return null;
        } catch (TramaException e) {
            return e.code();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("kinds")
    void aBodyOfRandomFieldsDecodesToARecordThatRoundTripsOrIsRefused(Kind kind) {
        AtomicInteger decoded = new AtomicInteger();
        RandomCases.forAll(40, random -> new Message(kind, WireJson.body(random, kind.type())), message -> {
            if (decodeOrRefuse(kind, message.frames())) {
                decoded.incrementAndGet();
            }
        });
        if (kind.type() != Failure.class) {
            assertThat(decoded).as("bodies of %s that decoded, so that the round trip was tried", kind).hasPositiveValue();
        }
    }

    /**
     * Decodes the frames: a refusal must be a printable TramaException, a record must be clean and round-trip.
     * True when a record was decoded.
     */
    private static boolean decodeOrRefuse(Kind kind, List<byte[]> frames) {
        Object decoded;
        try {
            decoded = kind.decoder().apply(frames);
        } catch (TramaException e) {
            assertPrintable(e.getMessage(), Check.MAX_TEXT + 200);
            if (kind.type() == Failure.class) {
                assertThatThrownBy(() -> kind.decoder().apply(Codec.error(e))).isInstanceOfSatisfying(TramaException.class,
                        again -> assertThat(List.of(again.code(), again.getMessage())).isEqualTo(List.of(e.code(), e.getMessage())));
            }
            return false;
        }
        // a family's decoder reads whichever of its kinds the method frame names
        assertThat(decoded).isInstanceOf(kind.family());
        if (kind.family() != kind.type()) {
            assertThat(Codec.methodOf(decoded.getClass())).isEqualTo(new String(frames.get(0), StandardCharsets.UTF_8));
        }
        assertCleanText(decoded, kind.type().getSimpleName());
        assertThat(kind.decoder().apply(kind.encoder().apply(decoded))).isEqualTo(decoded);
        return true;
    }

    /** Zero to four frames: random bytes, method words, JSON-ish text, and bodies around the size limit. */
    private static List<byte[]> frames(Random random, List<String> words) {
        List<byte[]> frames = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            frames.add(switch (WireJson.weighted(random, 3, 2, 3, 2, 1, 1)) {
                case 0 -> randomBytes(random, random.nextInt(65));
                case 1 -> randomBytes(random, random.nextInt(4097));
                case 2 -> utf8(WireJson.pick(random, words));
                case 3 -> utf8(random.nextBoolean() ? WireJson.any(random, 3) : jsonish(random));
                case 4 -> randomBytes(random, aroundTheLimit(random));
                default -> paddedBody(aroundTheLimit(random));
            });
        }
        return frames;
    }

    private static int aroundTheLimit(Random random) {
        return Codec.MAX_MESSAGE_BYTES - 40 + random.nextInt(49);
    }

    /** Text made of JSON's punctuation, mostly not JSON. */
    private static String jsonish(Random random) {
        String alphabet = "{}[]\":,v1 e-.\\";
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(31); i > 0; i--) {
            text.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return text.toString();
    }

    /** A valid JSON body of exactly {@code size} bytes. */
    private static byte[] paddedBody(int size) {
        String head = "{\"v\":1,\"message\":\"";
        String tail = "\"}";
        return utf8(head + "x".repeat(size - head.length() - tail.length()) + tail);
    }

    private static byte[] randomBytes(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    /** Every string a record holds is printable and bounded, except what is handed to a container untouched. */
    private static void assertCleanText(Object value, String path) {
        if (value instanceof String s) {
            if (!isPrintable(s, Check.MAX_TEXT)) {
                throw new AssertionError(path + " holds text that is not printable: " + escaped(s));
            }
        } else if (value instanceof Collection<?> items) {
            items.forEach(item -> assertCleanText(item, path + "[]"));
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> Stream.of(k, v).forEach(item -> assertCleanText(item, path + "{}")));
        } else if (value instanceof LogLine line) {
            // a container's output keeps its tabs and its long lines: nothing else that a terminal would obey
            if (!isPrintable(line.text().replace('\t', ' '), LogLine.MAX_CHARS)) {
                throw new AssertionError(path + ".text holds text that is not printable: " + escaped(line.text()));
            }
        } else if (value instanceof Record record) {
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                if (!CONTAINER_TEXT.contains(component.getName())) {
                    assertCleanText(component(record, component), path + "." + component.getName());
                }
            }
        }
    }

    private static Object component(Record record, RecordComponent component) {
        try {
            return component.getAccessor().invoke(record);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot read " + component.getName() + " of " + record, e);
        }
    }

    private static void assertPrintable(String text, int maxLength) {
        if (text == null || !isPrintable(text, maxLength)) {
            throw new AssertionError("refused with a sentence that is not printable: " + escaped(text));
        }
    }

    /** No control character, no lone surrogate, and not too long. */
    static boolean isPrintable(String text, int maxLength) {
        return text.length() <= maxLength && text.codePoints().noneMatch(c ->
                Character.getType(c) == Character.CONTROL || Character.getType(c) == Character.SURROGATE);
    }

    private static String escaped(String text) {
        if (text == null) {
            return "null";
        }
        return text.chars().limit(300).mapToObj(c -> c >= 0x20 && c < 0x7f ? String.valueOf((char) c)
                : String.format("\\u%04x", c)).collect(Collectors.joining());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
