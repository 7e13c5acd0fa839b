package dev.trama.transport;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.zeromq.ZAuth;
import org.zeromq.ZContext;
import org.zeromq.ZMsg;

/**
 * The ZAP handler of one context: every CURVE handshake on a bound socket of the context asks it, and it
 * asks the {@link Admission} of that socket, told apart by the socket's ZAP domain. Anything else (NULL or
 * PLAIN handshakes, a domain it does not know, an admission that fails) is turned away. It must never
 * fail itself: its thread ending would leave every later handshake unanswered.
 */
final class Gatekeeper implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Gatekeeper.class);

    private final Map<String, Admission> byDomain = new ConcurrentHashMap<>();
    private final AtomicInteger domains = new AtomicInteger();
    private final Throttle denials = new Throttle();
    private final ZAuth auth;

    Gatekeeper(ZContext context) {
        ZAuth.Auth refuse = new ZAuth.Auth() {
            @Override
            public boolean configure(ZMsg message, boolean verbose) {
                return true;
            }

            @Override
            public boolean authorize(ZAuth.ZapRequest request, boolean verbose) {
                return false;
            }
        };
        ZAuth.Auth curve = new ZAuth.Auth() {
            @Override
            public boolean configure(ZMsg message, boolean verbose) {
                return true;
            }

            @Override
            public boolean authorize(ZAuth.ZapRequest request, boolean verbose) {
                return admit(request);
            }
        };
        this.auth = new ZAuth(context, "zap", Map.of("CURVE", curve, "NULL", refuse, "PLAIN", refuse));
    }

    /** A new ZAP domain whose handshakes {@code admission} decides. */
    String domain(Admission admission) {
        String domain = "trama-" + domains.incrementAndGet();
        byDomain.put(domain, admission);
        return domain;
    }

    private boolean admit(ZAuth.ZapRequest request) {
        try {
            Admission admission = byDomain.get(request.domain);
            Optional<String> identity = admission == null ? Optional.empty() : admission.admit(request.clientKey);
            if (identity.isPresent() && !identity.get().isBlank()) {
                request.userId = identity.get();
                return true;
            }
            int suppressed = denials.pass();
            if (suppressed >= 0) {
                log.warn("turned away CURVE client {} from {}{}", request.clientKey, request.address, Throttle.more(suppressed));
            }
            return false;
        } catch (Throwable e) {
            log.error("cannot decide on CURVE client {} from {}: turned away", request.clientKey, request.address, e);
            return false;
        }
    }

    @Override
    public void close() {
        auth.close();
    }
}
