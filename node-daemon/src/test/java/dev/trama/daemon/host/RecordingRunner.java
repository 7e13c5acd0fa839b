package dev.trama.daemon.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link CommandRunner} that runs nothing: it records each argv and answers from canned results. A command
 * the test did not declare fails it, so that a test states every command the code under it may run.
 */
public final class RecordingRunner implements CommandRunner {

    public final List<List<String>> commands = new ArrayList<>();
    private final Map<String, CommandResult> answers = new LinkedHashMap<>();

    /**
     * Answers commands whose first words are these (whole words; the longest matching prefix wins). Declaring
     * the same prefix again replaces its answer.
     */
    public RecordingRunner answer(String commandPrefix, int exitCode, String stdout, String stderr) {
        answers.put(commandPrefix, new CommandResult(List.of(commandPrefix.split(" ")), exitCode, stdout, stderr));
        return this;
    }

    /** Lets commands whose first words are these succeed, printing nothing. */
    public RecordingRunner succeed(String commandPrefix) {
        return answer(commandPrefix, 0, "", "");
    }

    @Override
    public CommandResult run(List<String> argv) {
        commands.add(List.copyOf(argv));
        String line = String.join(" ", argv);
        String best = null;
        for (String prefix : answers.keySet()) {
            boolean matches = line.equals(prefix) || line.startsWith(prefix + " ");
            if (matches && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        if (best == null) {
            throw new AssertionError("unexpected command `" + CommandResult.display(argv) + "`: the test declares no answer for it");
        }
        CommandResult canned = answers.get(best);
        return new CommandResult(argv, canned.exitCode(), canned.stdout(), canned.stderr());
    }

    public List<String> lines() {
        return commands.stream().map(c -> String.join(" ", c)).toList();
    }
}
