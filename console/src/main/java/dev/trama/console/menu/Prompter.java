package dev.trama.console.menu;

import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import org.jline.reader.Candidate;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;

/**
 * Asks questions through JLine's line reader: line editing, history, and tab completion of the names
 * the current question expects. A refused answer prints the reason and asks again. Ctrl-C becomes
 * {@link Cancelled}, Ctrl-D (or the end of piped input) {@link Closed}.
 */
final class Prompter {

    private final LineReader reader;
    private final Screen screen;
    private volatile List<String> completions = List.of();
    private boolean inputEnded;

    Prompter(Screen screen) {
        this.screen = screen;
        this.reader = LineReaderBuilder.builder()
                .terminal(screen.terminal())
                .appName("trama")
                .completer((lineReader, line, candidates) -> complete(candidates))
                .option(LineReader.Option.DISABLE_EVENT_EXPANSION, true)
                .option(LineReader.Option.AUTO_FRESH_LINE, true)
                .build();
    }

    /** Every question completes the names it expects, and only those. */
    private void complete(List<Candidate> candidates) {
        for (String name : completions) {
            candidates.add(new Candidate(name));
        }
    }

    /** Asks until {@code parse} accepts the answer. {@code offered} is shown as the default, if any. */
    <T> T ask(String question, String offered, Collection<String> names, Function<String, T> parse) {
        while (true) {
            String answer = read(question + (offered == null ? "" : " [" + offered + "]") + ": ", names);
            try {
                return parse.apply(answer);
            } catch (IllegalArgumentException e) {
                screen.error(e.getMessage());
            }
        }
    }

    boolean confirm(String question) {
        return ask(question + " [y/N]", null, List.of(), Answers::yes);
    }

    private String read(String prompt, Collection<String> names) {
        if (inputEnded) {
            throw new Closed();
        }
        completions = List.copyOf(names);
        String line;
        try {
            line = reader.readLine(prompt);
        } catch (UserInterruptException e) {
            throw new Cancelled();
        } catch (EndOfFileException e) {
            String partial = e.getPartialLine();
            if (partial == null || partial.isEmpty()) {
                throw new Closed();
            }
            inputEnded = true;
            line = partial;
        } finally {
            completions = List.of();
        }
        if (screen.echoesInput()) {
            screen.println(line);
        }
        return line;
    }
}
