package dev.trama.daemon.host;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link CommandRunner} that runs nothing: it records each argv and answers from canned results. */
public final class RecordingRunner implements CommandRunner {

    public final List<List<String>> commands = new ArrayList<>();
    private final Map<String, CommandResult> answers = new LinkedHashMap<>();

    /** Answers commands that start with the given words (the longest matching prefix wins). */
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
            if (line.startsWith(prefix) && (best == null || prefix.length() > best.length())) {
                best = prefix;
            }
        }
        if (best == null) {
            return new CommandResult(argv, 0, "", "");
        }
        CommandResult canned = answers.get(best);
        return new CommandResult(argv, canned.exitCode(), canned.stdout(), canned.stderr());
    }

    public List<String> lines() {
        return commands.stream().map(c -> String.join(" ", c)).toList();
    }
}
