package dev.trama.server.cluster;

import dev.trama.protocol.Task;

/** Where tasks for daemons go: the server's PUB socket, or a list in tests. */
public interface Dispatch {

    void toNode(String node, Task task);

    void toAll(Task task);
}
