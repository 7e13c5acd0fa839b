package dev.trama.console.commands;

import dev.trama.cli.ExitCodes;
import dev.trama.console.DaemonClient;
import dev.trama.console.TextTable;
import dev.trama.protocol.ConsoleRequest;
import dev.trama.protocol.Replies.Diagnosis;
import dev.trama.protocol.Replies.Finding;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "doctor", description = "Checks this host's part of the overlay and says what to fix; exit 0 when no check "
        + "failed (warnings allowed), 1 otherwise.")
public final class DoctorCommand extends DaemonCommand {

    @Option(names = "--json", description = "print JSON")
    boolean json;

    @Override
    int run(DaemonClient client) {
        Diagnosis diagnosis = act(client, new ConsoleRequest.Diagnose(), "checking this host");
        out(json ? Output.json(diagnosis) : table(diagnosis));
        return diagnosis.ok() ? ExitCodes.OK : ExitCodes.FAILED;
    }

    static String table(Diagnosis diagnosis) {
        TextTable table = new TextTable("CHECK", "STATUS", "DETAIL");
        for (Finding check : diagnosis.checks()) {
            table.row(check.name(), check.status().toString(), check.detail());
        }
        return table.render(Integer.MAX_VALUE) + (diagnosis.ok() ? "no check failed\n" : "a check failed\n");
    }
}
