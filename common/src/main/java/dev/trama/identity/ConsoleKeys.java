package dev.trama.identity;

import dev.trama.transport.CurveKeyPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a console proves it may drive its daemon. Each time a daemon starts, it makes a keypair for its console
 * port and one for its consoles, and writes the consoles' keypair with its own public key in a file that only
 * root (and the {@code trama} group, when there is one) can read; its console port admits that key alone. A
 * console reads the file to connect; whoever cannot read it cannot drive the daemon.
 *
 * <p>The file is named after the console port and the network namespace, which a console and its daemon share:
 * several daemons on one machine, each in a namespace of its own, each have theirs. The directory is
 * {@code /run/trama/console}, or under {@code trama.run.dir} / {@code TRAMA_RUN_DIR} when set.
 */
public record ConsoleKeys(String daemonKey, CurveKeyPair console) {

    public static final String GROUP = "trama";
    private static final Pattern NAMESPACE = Pattern.compile("net:\\[(\\d+)]");

    public ConsoleKeys {
        CurveKeyPair.checkPublicKey(daemonKey);
    }

    /** Where the keys of the console port are, for this process's network namespace. */
    public static Path file(int port) {
        return directory().resolve(namespace() + "-" + port + ".keys");
    }

    static Path directory() {
        String configured = System.getProperty("trama.run.dir", System.getenv("TRAMA_RUN_DIR"));
        return Path.of(configured == null ? "/run/trama" : configured).resolve("console");
    }

    /** This process's network namespace, as the kernel numbers it ("host" where there is no such thing). */
    static String namespace() {
        try {
            Matcher m = NAMESPACE.matcher(Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString());
            return m.matches() ? m.group(1) : "host";
        } catch (IOException | UnsupportedOperationException e) {
            return "host";
        }
    }

    /** Writes the keys for the consoles: readable by root, and by the trama group when it exists. */
    public void write(Path file) {
        try {
            Files.createDirectories(file.getParent(), PosixFilePermissions.asFileAttribute(
                    PosixFilePermissions.fromString("rwxr-xr-x")));
            Optional<GroupPrincipal> group = group(file);
            Path temp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, daemonKey + "\n" + console.publicKey() + "\n" + console.secretKey() + "\n",
                    StandardCharsets.UTF_8);
            if (group.isPresent()) {
                Files.getFileAttributeView(temp, PosixFileAttributeView.class).setGroup(group.get());
                Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rw-r-----"));
            }
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the console's keys in " + file + ": " + e.getMessage(), e);
        }
    }

    private static Optional<GroupPrincipal> group(Path file) {
        try {
            return Optional.of(file.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByGroupName(GROUP));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The keys of a console port, as a console reads them.
     *
     * @throws AccessDeniedException when this user may not read them
     * @throws NoSuchFileException   when no daemon wrote them (none runs here on that port)
     */
    public static ConsoleKeys read(Path file) throws IOException {
        List<String> lines = Files.readString(file, StandardCharsets.UTF_8).lines().map(String::strip).toList();
        if (lines.size() != 3) {
            throw new IOException(file + " does not hold a console's keys");
        }
        return new ConsoleKeys(lines.get(0), new CurveKeyPair(lines.get(1), lines.get(2)));
    }

    /** Removes the keys when their daemon stops. */
    public static void remove(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + file + ": " + e.getMessage(), e);
        }
    }
}
