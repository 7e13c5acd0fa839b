package dev.trama.console;

import dev.trama.cli.ExitCodes;
import dev.trama.console.commands.ConfigureCommand;
import dev.trama.console.commands.DoctorCommand;
import dev.trama.console.commands.InfoCommand;
import dev.trama.console.commands.InspectCommand;
import dev.trama.console.commands.LeaveCommand;
import dev.trama.console.commands.LogsCommand;
import dev.trama.console.commands.NodesCommand;
import dev.trama.console.commands.PsCommand;
import dev.trama.console.commands.RmCommand;
import dev.trama.console.commands.RunCommand;
import dev.trama.console.menu.InteractiveConsole;
import dev.trama.protocol.Check;
import dev.trama.protocol.TramaException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

@Command(name = "trama", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "trama 0.1",
        description = "Console of a Trama overlay: talks to the daemon on this host. Without a command, opens the menu.",
        subcommands = {ConfigureCommand.class, RunCommand.class, RmCommand.class, PsCommand.class, LogsCommand.class,
                InspectCommand.class, NodesCommand.class, InfoCommand.class, DoctorCommand.class, LeaveCommand.class,
                AutoComplete.GenerateCompletion.class})
public final class ConsoleMain implements Callable<Integer> {

    @Option(names = "--port", paramLabel = "PORT", scope = ScopeType.INHERIT, description = "the daemon's console port (default ${DEFAULT-VALUE})")
    public int port = 5002;

    @Option(names = "--debug", scope = ScopeType.INHERIT, description = "show stack traces of errors")
    public boolean debug;

    @Override
    public Integer call() {
        return InteractiveConsole.open(port, debug);
    }

    public DaemonClient client() {
        return new DaemonClient(port);
    }

    public static CommandLine commandLine() {
        ConsoleMain root = new ConsoleMain();
        CommandLine cli = new CommandLine(root);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            // a last guard: whatever an exception carries reaches the terminal without control characters
            if (e instanceof TramaException || e instanceof IllegalArgumentException) {
                err.println("trama: " + Check.text(e.getMessage()));
            } else {
                err.println("trama: unexpected error: " + Check.text(e.toString()));
            }
            if (root.debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return ExitCodes.FAILED;
        });
        return cli;
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
