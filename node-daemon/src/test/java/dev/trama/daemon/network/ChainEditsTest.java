package dev.trama.daemon.network;

import static org.assertj.core.api.Assertions.assertThat;

import dev.trama.daemon.host.Rule;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChainEditsTest {

    private static Rule rule(String name) {
        return new Rule("filter", "T", List.of("-j", name));
    }

    private static List<Rule> rules(String... names) {
        return List.of(names).stream().map(ChainEditsTest::rule).toList();
    }

    private static List<String> chain(String... names) {
        return rules(names).stream().map(Rule::saved).toList();
    }

    /** The chain after the edits, applied as iptables would: insertions first, then deletions. */
    private static List<String> applied(List<String> present, ChainEdits edits) {
        List<String> chain = new ArrayList<>(present);
        edits.insertions().forEach(insertion -> chain.add(insertion.position() - 1, insertion.rule().saved()));
        edits.deletions().forEach(position -> chain.remove(position - 1));
        return chain;
    }

    @Test
    void aChainAsWantedNeedsNoEdit() {
        ChainEdits edits = ChainEdits.between(chain("A", "B", "DROP"), rules("A", "B", "DROP"));
        assertThat(edits.insertions()).isEmpty();
        assertThat(edits.deletions()).isEmpty();
    }

    @Test
    void aNewRuleGoesInAtItsPlaceAndAGoneOneComesOutTheOthersStay() {
        List<String> present = chain("A", "C", "DROP");
        ChainEdits edits = ChainEdits.between(present, rules("B", "C", "D", "DROP"));
        assertThat(edits.insertions()).containsExactly(new ChainEdits.Insertion(1, rule("B")), new ChainEdits.Insertion(4, rule("D")));
        assertThat(edits.deletions()).containsExactly(2);
        assertThat(applied(present, edits)).isEqualTo(chain("B", "C", "D", "DROP"));
    }

    @Test
    void anEmptyChainIsFilledAndAnUnwantedOneEmptiedBottomUp() {
        assertThat(applied(List.of(), ChainEdits.between(List.of(), rules("A", "B")))).isEqualTo(chain("A", "B"));
        ChainEdits emptying = ChainEdits.between(chain("A", "B", "C"), List.of());
        assertThat(emptying.insertions()).isEmpty();
        assertThat(emptying.deletions()).containsExactly(3, 2, 1);
    }

    @Test
    void rulesOutOfOrderDuplicatedOrForeignEndAsWantedKeepingTheMostInPlace() {
        List<String> present = new ArrayList<>(chain("DROP", "A", "A", "B"));
        present.add(2, "-A T -s 198.51.100.7/32 -m comment --comment \"someone else's\" -j ACCEPT");
        ChainEdits edits = ChainEdits.between(present, rules("A", "B", "DROP"));
        assertThat(applied(present, edits)).isEqualTo(chain("A", "B", "DROP"));
        // A and B stay where they are; only the misplaced DROP, the second A and the foreign rule move
        assertThat(edits.insertions()).hasSize(1);
        assertThat(edits.deletions()).hasSize(3);
    }
}
