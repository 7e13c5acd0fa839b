package dev.trama.e2e;

import dev.trama.testkit.TramaCluster;
import java.lang.reflect.Field;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/**
 * Prints the end of the server's, daemons' and etcd's logs when a test fails, so that a failure seen
 * only in the build's output can still be read. Registered for every test by autodetection.
 */
public final class LogsOnFailure implements TestWatcher {

    private static final int LINES = 40;

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        context.getTestInstance().ifPresent(test -> {
            for (Field field : test.getClass().getDeclaredFields()) {
                if (field.getType() == TramaCluster.class) {
                    try {
                        field.setAccessible(true);
                        TramaCluster cluster = (TramaCluster) field.get(test);
                        if (cluster != null) {
                            System.out.println("==== logs after the failure of " + context.getDisplayName() + "\n"
                                    + cluster.logTails(LINES));
                        }
                    } catch (ReflectiveOperationException e) {
                        System.out.println("(no logs: " + e + ")");
                    }
                }
            }
        });
    }
}
