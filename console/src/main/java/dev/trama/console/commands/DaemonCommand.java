package dev.trama.console.commands;

import dev.trama.console.ConsoleMain;
import dev.trama.console.DaemonClient;
import dev.trama.console.progress.Progress;
import dev.trama.console.progress.StderrTerminal;
import dev.trama.protocol.Request;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** A subcommand that asks the local daemon something: the console's shared plumbing, nothing else. */
abstract class DaemonCommand implements Callable<Integer> {

    @ParentCommand
    ConsoleMain root;

    @Spec
    CommandSpec spec;

    @Override
    public final Integer call() {
        check();
        try (DaemonClient client = root.client()) {
            return run(client);
        }
    }

    /** Checks the arguments before the daemon is reached: a bad one ends in {@link #valid}'s usage error. */
    void check() {
    }

    abstract int run(DaemonClient client);

    /** A bad argument is bad usage: exit 2 with picocli's message, before anything is sent. */
    <T> T valid(Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    /** A long step: a progress line on a terminal's stderr while it lasts ("launching web on n2... 2s"). */
    <R> R act(DaemonClient client, Request<R> request, String doing) {
        try (Progress progress = StderrTerminal.progress(spec.commandLine().getErr(), doing)) {
            return client.act(request);
        }
    }

    void out(String text) {
        spec.commandLine().getOut().print(text.endsWith("\n") ? text : text + "\n");
        spec.commandLine().getOut().flush();
    }
}
