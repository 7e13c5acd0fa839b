package dev.trama.daemon.dns;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xbill.DNS.Message;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.SimpleResolver;

/**
 * The host's own resolvers: the nameservers of its resolv.conf, as the daemon sees it (in its network
 * namespace; {@code ip netns exec} shows a namespace's own file there), read again when the file changes.
 * A query is sent to each in turn, each given {@link #timeout}, over the transport the container used (a
 * truncated answer over UDP goes back truncated, and the container asks again over TCP); when none answers
 * the container is told SERVFAIL. The resolver's own address is never among them.
 */
final class Upstream {

    private static final Logger log = LoggerFactory.getLogger(Upstream.class);
    /** As many as the C library's resolver uses. */
    static final int MAX_SERVERS = 3;
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final Path resolvConf;
    private final InetAddress self;
    private final int port;
    private final Duration timeout;
    private FileTime readAt;
    private boolean missing;
    private List<InetSocketAddress> servers = List.of();

    /** @param port the nameservers' port: 53, as resolv.conf cannot say otherwise (another for tests) */
    Upstream(Path resolvConf, InetAddress self, int port, Duration timeout) {
        this.resolvConf = resolvConf;
        this.self = self;
        this.port = port;
        this.timeout = timeout;
    }

    /** The answer of the first nameserver that gives one, with the query's id; SERVFAIL when none does. */
    Message forward(Message query, boolean tcp) {
        for (InetSocketAddress server : servers()) {
            SimpleResolver resolver = new SimpleResolver(server);
            resolver.setTimeout(timeout);
            resolver.setTCP(tcp);
            resolver.setIgnoreTruncation(true);
            resolver.setEDNS(-1); // the container's own options, if any, go as they are
            try {
                Message response = resolver.send(query);
                response.getHeader().setID(query.getHeader().getID());
                return response;
            } catch (IOException e) {
                log.debug("nameserver {} did not answer: {}", server, e.toString());
            }
        }
        return Answers.reply(query, Rcode.SERVFAIL);
    }

    /** The nameservers, read again if the file changed since it was last read. */
    synchronized List<InetSocketAddress> servers() {
        FileTime modified;
        try {
            modified = Files.getLastModifiedTime(resolvConf);
        } catch (IOException e) {
            if (!missing) {
                log.warn("cannot read {}: names outside the cluster do not resolve ({})", resolvConf, e.toString());
            }
            missing = true;
            readAt = null;
            servers = List.of();
            return servers;
        }
        missing = false;
        if (!modified.equals(readAt)) {
            readAt = modified;
            try {
                servers = parse(Files.readString(resolvConf, StandardCharsets.UTF_8), self, port);
            } catch (IOException e) {
                servers = List.of();
            }
            log.info("names outside the cluster go to {}", servers.isEmpty() ? "no nameserver (" + resolvConf + " names none)"
                    : servers.stream().map(s -> s.getAddress().getHostAddress()).toList());
        }
        return servers;
    }

    /** The {@code nameserver} lines of a resolv.conf, literal addresses only, without {@code self}. */
    static List<InetSocketAddress> parse(String resolvConf, InetAddress self, int port) {
        List<InetSocketAddress> found = new ArrayList<>();
        for (String line : resolvConf.lines().toList()) {
            String[] words = line.strip().split("\\s+");
            if (words.length < 2 || !words[0].equals("nameserver") || found.size() == MAX_SERVERS) {
                continue;
            }
            String address = words[1];
            int zone = address.indexOf('%');
            if (!IPV4.matcher(address).matches() && !IPV6.matcher(zone < 0 ? address : address.substring(0, zone)).matches()) {
                continue;
            }
            try {
                InetAddress server = InetAddress.getByName(address); // a literal: no lookup
                if (!server.equals(self)) {
                    found.add(new InetSocketAddress(server, port));
                }
            } catch (UnknownHostException e) {
                // not an address after all
            }
        }
        return List.copyOf(found);
    }
}
