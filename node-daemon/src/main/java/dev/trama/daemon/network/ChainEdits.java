package dev.trama.daemon.network;

import dev.trama.daemon.host.Rule;
import java.util.ArrayList;
import java.util.List;

/**
 * The fewest insertions and deletions that turn the rules a chain holds into the wanted ones. Every rule
 * that can stay does (the longest common subsequence of the two lists), so a rule is never taken out and
 * put back: the traffic it accepts is not interrupted while the chain changes around it. New rules go in
 * before obsolete ones come out, so that in between the chain holds both, never neither.
 *
 * @param insertions applied first, in order, each at its 1-based position in the chain as it is by then
 * @param deletions  applied after the insertions, 1-based positions highest first, so that each stays valid
 *                   while the ones below it go
 */
record ChainEdits(List<Insertion> insertions, List<Integer> deletions) {

    record Insertion(int position, Rule rule) {
    }

    ChainEdits {
        insertions = List.copyOf(insertions);
        deletions = List.copyOf(deletions);
    }

    /** From a chain's rules as {@code iptables -S} prints them ({@code -A CHAIN ...}) to the wanted rules. */
    static ChainEdits between(List<String> present, List<Rule> wanted) {
        List<String> target = wanted.stream().map(Rule::saved).toList();
        int n = present.size();
        int m = target.size();
        // common[i][j]: how many rules present[i..] and target[j..] can keep in common, in order
        int[][] common = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                common[i][j] = present.get(i).equals(target.get(j))
                        ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<Insertion> insertions = new ArrayList<>();
        List<Integer> deletions = new ArrayList<>();
        int position = 1; // in the chain with the insertions so far made and nothing deleted yet
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && present.get(i).equals(target.get(j))) {
                i++;
                j++;
            } else if (j < m && (i == n || common[i][j + 1] >= common[i + 1][j])) {
                insertions.add(new Insertion(position, wanted.get(j)));
                j++;
            } else {
                deletions.add(0, position);
                i++;
            }
            position++;
        }
        return new ChainEdits(insertions, deletions);
    }
}
