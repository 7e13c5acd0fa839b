package dev.trama.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps message records to frames and back. A message is two frames: its method name (from
 * {@link WireName}) and a JSON object holding the record's fields plus {@code "v"}, the protocol version.
 * A reply is {@code ["ok", result]} or {@code ["error", {"code","message"}]}.
 *
 * <p>Decoding never throws anything but {@link TramaException}, whose code says what was wrong, so a
 * transport can always turn bad input into an error reply.
 */
public final class Codec {

    public static final int VERSION = 1;
    /** Largest message accepted, all frames together. Sockets drop peers that send far more. */
    public static final int MAX_MESSAGE_BYTES = 256 * 1024;
    public static final String OK = "ok";
    public static final String ERROR = "error";
    private static final String VERSION_FIELD = "v";

    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private final Map<String, Class<?>> typeByMethod = new HashMap<>();

    /** A codec that decodes the messages of the given sealed families (e.g. {@code ServerRequest.class}). */
    public Codec(Class<?>... families) {
        for (Class<?> family : families) {
            if (!family.isSealed()) {
                throw new IllegalArgumentException(family + " is not a sealed message family");
            }
            for (Class<?> type : family.getPermittedSubclasses()) {
                String method = methodOf(type);
                Class<?> previous = typeByMethod.putIfAbsent(method, type);
                if (previous != null && previous != type) {
                    throw new IllegalStateException("method " + method + " names both " + previous + " and " + type);
                }
            }
        }
    }

    public static String methodOf(Class<?> type) {
        WireName name = type.getAnnotation(WireName.class);
        if (name == null) {
            throw new IllegalArgumentException(type + " has no @WireName");
        }
        return name.value();
    }

    public static List<byte[]> encode(Object message) {
        return List.of(utf8(methodOf(message.getClass())), body(message));
    }

    public static List<byte[]> ok(Object result) {
        return List.of(utf8(OK), body(result));
    }

    public static List<byte[]> error(ErrorCode code, String message) {
        return List.of(utf8(ERROR), body(new Failure(code, message)));
    }

    public static List<byte[]> error(TramaException e) {
        return error(e.code(), e.getMessage());
    }

    public Object decode(List<byte[]> frames) {
        checkShape(frames);
        String method = text(frames.get(0));
        Class<?> type = typeByMethod.get(method);
        if (type == null) {
            throw new TramaException(ErrorCode.UNKNOWN_METHOD, "unknown method '" + Check.printable(method) + "'");
        }
        return read(frames.get(1), type);
    }

    /** Decodes a reply: the result when it is {@code ok}, the remote error rethrown when it is {@code error}. */
    public static <R> R decodeReply(List<byte[]> frames, Class<R> resultType) {
        checkShape(frames);
        String kind = text(frames.get(0));
        if (kind.equals(OK)) {
            return read(frames.get(1), resultType);
        }
        if (kind.equals(ERROR)) {
            Failure failure = read(frames.get(1), Failure.class);
            throw new TramaException(failure.code(), failure.message());
        }
        throw new TramaException(ErrorCode.MALFORMED, "reply kind '" + Check.printable(kind) + "' is neither ok nor error");
    }

    /** The result type a request expects, read from its {@code Request<R>} type argument. */
    @SuppressWarnings("unchecked")
    public static <R> Class<R> resultType(Request<R> request) {
        for (Type type : request.getClass().getGenericInterfaces()) {
            if (type instanceof ParameterizedType parameterized
                    && Request.class.isAssignableFrom((Class<?>) parameterized.getRawType())
                    && parameterized.getActualTypeArguments()[0] instanceof Class<?> result) {
                return (Class<R>) result;
            }
        }
        throw new IllegalArgumentException(request.getClass() + " does not declare its result type");
    }

    private static void checkShape(List<byte[]> frames) {
        if (frames == null || frames.size() != 2) {
            int count = frames == null ? 0 : frames.size();
            throw new TramaException(ErrorCode.MALFORMED, "expected 2 frames (method, body), got " + count);
        }
        long size = (long) frames.get(0).length + frames.get(1).length;
        if (size > MAX_MESSAGE_BYTES) {
            throw new TramaException(ErrorCode.TOO_LARGE,
                    "message of " + size + " bytes exceeds the limit of " + MAX_MESSAGE_BYTES);
        }
    }

    private static <T> T read(byte[] body, Class<T> type) {
        JsonNode tree;
        try {
            tree = JSON.readTree(body);
        } catch (Exception e) {
            throw new TramaException(ErrorCode.MALFORMED, "body is not valid JSON");
        }
        if (tree == null || !tree.isObject()) {
            throw new TramaException(ErrorCode.MALFORMED, "body is not a JSON object");
        }
        JsonNode version = tree.get(VERSION_FIELD);
        if (version == null || !version.canConvertToInt()) {
            throw new TramaException(ErrorCode.MALFORMED, "body has no protocol version");
        }
        if (version.asInt() != VERSION) {
            throw new TramaException(ErrorCode.UNSUPPORTED_VERSION,
                    "protocol version " + version.asText() + " is not supported (this side speaks " + VERSION + ")");
        }
        ((ObjectNode) tree).remove(VERSION_FIELD);
        try {
            return JSON.treeToValue(tree, type);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause();
            String reason = cause instanceof IllegalArgumentException && cause.getMessage() != null
                    ? Check.text(cause.getMessage()) : "invalid " + type.getSimpleName();
            throw new TramaException(ErrorCode.INVALID_ARGUMENT, reason);
        } catch (JsonProcessingException | IllegalArgumentException e) {
            throw new TramaException(ErrorCode.MALFORMED, "body does not fit " + type.getSimpleName() + ": "
                    + Check.printable(firstLine(e.getMessage())));
        }
    }

    private static byte[] body(Object value) {
        ObjectNode node = JSON.createObjectNode();
        node.put(VERSION_FIELD, VERSION);
        node.setAll((ObjectNode) JSON.valueToTree(value));
        try {
            return JSON.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode " + value.getClass().getSimpleName(), e);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] frame) {
        return new String(frame, StandardCharsets.UTF_8);
    }
}
