package dev.trama.daemon.host;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * iptables through {@link CommandRunner}, with verbs that may be repeated: a rule is added only when
 * {@code -C} does not find it, a chain only when it is missing, and removals tolerate what is already gone.
 */
public final class Iptables {

    private static final Pattern CHAIN = Pattern.compile("[A-Z][A-Z0-9_-]{0,28}");
    private static final List<String> TABLES = List.of("filter", "nat", "mangle", "raw");

    private final CommandRunner runner;

    public Iptables(CommandRunner runner) {
        this.runner = runner;
    }

    public boolean exists(Rule rule) {
        CommandResult result = runner.run(command(rule.table(), "-C", rule.chain(), rule.spec()));
        if (result.exitCode() == 0) {
            return true;
        }
        if (result.exitCode() == 1) {
            return false;
        }
        throw new CommandException(result);
    }

    /** Appends the rule unless it is there. */
    public void ensure(Rule rule) {
        if (!exists(rule)) {
            runner.check(command(rule.table(), "-A", rule.chain(), rule.spec()));
        }
    }

    /** Inserts the rule first in its chain unless it is there. */
    public void ensureFirst(Rule rule) {
        if (!exists(rule)) {
            insert(rule, 1);
        }
    }

    /** Inserts the rule at a 1-based position of its chain (one past the last appends it). */
    public void insert(Rule rule, int position) {
        List<String> argv = command(rule.table(), "-I", rule.chain(), List.of());
        argv.add(Integer.toString(position(position)));
        argv.addAll(rule.spec());
        runner.check(argv);
    }

    /** Deletes the rule at a 1-based position of a chain. */
    public void delete(String table, String chain, int position) {
        List<String> argv = command(table, "-D", chain, List.of());
        argv.add(Integer.toString(position(position)));
        runner.check(argv);
    }

    /** Deletes every copy of the rule. */
    public void deleteIfExists(Rule rule) {
        while (exists(rule)) {
            runner.check(command(rule.table(), "-D", rule.chain(), rule.spec()));
        }
    }

    public boolean chainExists(String table, String chain) {
        return runner.run(command(table, "-S", chain, List.of())).ok();
    }

    public void ensureChain(String table, String chain) {
        if (!chainExists(table, chain)) {
            runner.check(command(table, "-N", chain, List.of()));
        }
    }

    /** Flushes and deletes a chain; nothing may jump to it any more. A missing chain is not an error. */
    public void deleteChain(String table, String chain) {
        if (chainExists(table, chain)) {
            runner.check(command(table, "-F", chain, List.of()));
            runner.check(command(table, "-X", chain, List.of()));
        }
    }

    /** A chain's rules as {@code iptables -S} prints them. */
    public String list(String table, String chain) {
        return runner.check(command(table, "-S", chain, List.of())).stdout();
    }

    public void flush(String table, String chain) {
        runner.check(command(table, "-F", chain, List.of()));
    }

    private static List<String> command(String table, String verb, String chain, List<String> spec) {
        List<String> argv = new ArrayList<>(List.of("iptables", "-w", "5", "-t", table(table), verb, chain(chain)));
        argv.addAll(spec);
        return argv;
    }

    private static int position(int position) {
        if (position < 1) {
            throw new IllegalArgumentException("rule position " + position + " is not 1 or more");
        }
        return position;
    }

    private static String table(String table) {
        if (!TABLES.contains(table)) {
            throw new IllegalArgumentException("unknown iptables table " + table);
        }
        return table;
    }

    private static String chain(String chain) {
        if (chain == null || !CHAIN.matcher(chain).matches()) {
            throw new IllegalArgumentException("'" + chain + "' is not a valid chain name");
        }
        return chain;
    }
}
