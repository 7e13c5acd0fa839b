package dev.trama.console.menu;

import dev.trama.console.Tables;
import dev.trama.protocol.ClusterView;
import dev.trama.protocol.ContainerInfo;

/** Option 2: shows the containers, asks which one to remove, removes it. */
final class DestroyContainer {

    private final Screen screen;
    private final Prompter prompter;
    private final Waiting waiting;
    private final Daemon daemon;

    DestroyContainer(Screen screen, Prompter prompter, Waiting waiting, Daemon daemon) {
        this.screen = screen;
        this.prompter = prompter;
        this.waiting = waiting;
        this.daemon = daemon;
    }

    void destroy() {
        ClusterView view = daemon.cluster();
        if (view.containers().isEmpty()) {
            screen.println("There are no containers in the cluster.");
            return;
        }
        screen.println(Tables.containers(view.containers(), screen.width()));
        ContainerInfo chosen = prompter.ask("Container name", null,
                view.containers().stream().map(ContainerInfo::name).toList(),
                answer -> Answers.existingContainer(answer, view.containers()));
        ContainerInfo removed = waiting.on("removing " + chosen.name() + " from " + chosen.node(),
                () -> daemon.remove(chosen.name()));
        screen.println(removed.name() + " removed from " + removed.node());
    }
}
