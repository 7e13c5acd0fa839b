package dev.trama.daemon.dns;

import java.net.InetAddress;
import java.util.Optional;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * What the resolver says to a query, without any socket: the cluster's names from the {@link NameTable}, in the
 * cluster's domain {@code trama.} ({@code web2.trama.}) and as a single label ({@code web2.}). A name of the
 * cluster answers its A record (and nothing for other types); any other name inside {@code trama.} does not
 * exist; everything else is for the host's own resolvers. Answers carry a time to live of zero, so that a
 * name removed from the cluster is never held by a cache.
 */
public final class Answers {

    /** The cluster's search domain. */
    public static final String DOMAIN = "trama";
    private static final Name ORIGIN = name(DOMAIN + ".");
    private static final Name HOST = name("resolver." + DOMAIN + ".");
    private static final Name ADMIN = name("hostmaster." + DOMAIN + ".");
    private static final long TTL = 0;

    private final NameTable names;

    public Answers(NameTable names) {
        this.names = names;
    }

    /**
     * The response to a query, or empty when the query is for the host's resolvers. A response, never a request,
     * is expected to be filtered out before (see {@link #isQuery}).
     */
    public Optional<Message> answer(Message query) {
        Record question = query.getQuestion();
        if (query.getHeader().getOpcode() != Opcode.QUERY) {
            return Optional.of(reply(query, Rcode.NOTIMP));
        }
        if (question == null) {
            return Optional.of(reply(query, Rcode.FORMERR));
        }
        Name asked = question.getName();
        if (!asked.subdomain(ORIGIN)) {
            Optional<InetAddress> single = asked.labels() == 2 ? names.lookup(asked.getLabelString(0)) : Optional.empty();
            return single.map(address -> authoritative(query, question, address));
        }
        if (question.getDClass() != DClass.IN && question.getDClass() != DClass.ANY) {
            return Optional.of(reply(query, Rcode.REFUSED));
        }
        if (asked.equals(ORIGIN)) {
            Message response = authoritative(query, question, null);
            if (question.getType() == Type.SOA || question.getType() == Type.ANY) {
                response.addRecord(soa(), Section.ANSWER);
            } else {
                response.addRecord(soa(), Section.AUTHORITY);
            }
            return Optional.of(response);
        }
        Optional<InetAddress> address = names.lookup(asked.relativize(ORIGIN).toString());
        if (address.isEmpty()) {
            Message response = authoritative(query, question, null);
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            response.addRecord(soa(), Section.AUTHORITY);
            return Optional.of(response);
        }
        return Optional.of(authoritative(query, question, address.get()));
    }

    /** Whether a message is a query at all: a response sent to the resolver is dropped, never answered. */
    public static boolean isQuery(Message message) {
        return !message.getHeader().getFlag(Flags.QR);
    }

    /** A response with no records but the question and the given code, e.g. SERVFAIL when no upstream answered. */
    public static Message reply(Message query, int rcode) {
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setOpcode(query.getHeader().getOpcode());
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        response.getHeader().setFlag(Flags.RA);
        response.getHeader().setRcode(rcode);
        Record question = query.getQuestion();
        if (question != null) {
            response.addRecord(question, Section.QUESTION);
        }
        return response;
    }

    /** The cluster's answer: the A record when the name has an address and A (or anything) is asked, else no data. */
    private static Message authoritative(Message query, Record question, InetAddress address) {
        Message response = reply(query, Rcode.NOERROR);
        response.getHeader().setFlag(Flags.AA);
        if (address != null) {
            int type = question.getType();
            if (type == Type.A || type == Type.ANY) {
                response.addRecord(new ARecord(question.getName(), DClass.IN, TTL, address), Section.ANSWER);
            } else {
                response.addRecord(soa(), Section.AUTHORITY);
            }
        }
        return response;
    }

    /** The zone's SOA, whose minimum of zero tells caches not to keep a negative answer either. */
    private static SOARecord soa() {
        return new SOARecord(ORIGIN, DClass.IN, TTL, HOST, ADMIN, 1, 3600, 600, 86400, TTL);
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text);
        } catch (TextParseException e) {
            throw new IllegalArgumentException(text, e);
        }
    }
}
