package dev.trama.daemon.host;

import java.util.ArrayList;
import java.util.List;

/** An iptables rule as data: table, chain and the rule's own arguments (without -A/-I/-C/-D and chain). */
public record Rule(String table, String chain, List<String> spec) {

    public Rule {
        spec = List.copyOf(spec);
    }

    /** The rule's target (the word after {@code -j}), or "" for a rule without one. */
    public String target() {
        int jump = spec.indexOf("-j");
        return jump >= 0 && jump + 1 < spec.size() ? spec.get(jump + 1) : "";
    }

    /** The rule in iptables-save's spelling, as {@code iptables -S} and {@code iptables-save} print it. */
    public String saved() {
        List<String> words = new ArrayList<>(List.of("-A", chain));
        words.addAll(spec);
        return String.join(" ", words);
    }
}
