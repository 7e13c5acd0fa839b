package dev.trama.protocol;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * A container's state as consoles show it: the {@link ContainerState}, with the exit code when it exited.
 * On the wire as one word, exactly as {@code ps} prints it: {@code running}, {@code exited (3)}, ...
 */
public record ContainerStatus(ContainerState state, Integer exitCode) {

    public ContainerStatus {
        if (state == null) {
            throw new IllegalArgumentException("container state is required");
        }
        if ((state == ContainerState.EXITED) != (exitCode != null)) {
            throw new IllegalArgumentException("an exit code goes with an exited container, and only with one");
        }
    }

    public static ContainerStatus of(ContainerState state) {
        return new ContainerStatus(state, null);
    }

    public static ContainerStatus exited(int exitCode) {
        return new ContainerStatus(ContainerState.EXITED, exitCode);
    }

    public boolean is(ContainerState other) {
        return state == other;
    }

    @JsonCreator
    public static ContainerStatus parse(String word) {
        String value = word == null ? "" : word;
        if (value.startsWith("exited (") && value.endsWith(")")) {
            String code = value.substring("exited (".length(), value.length() - 1);
            if (code.matches("-?[0-9]{1,10}")) {
                try {
                    return exited(Integer.parseInt(code));
                } catch (NumberFormatException e) {
                    // out of int's range: refused below
                }
            }
        } else {
            for (ContainerState state : ContainerState.values()) {
                if (state != ContainerState.EXITED && state.toString().equals(value)) {
                    return of(state);
                }
            }
        }
        throw new IllegalArgumentException("container state '" + Check.printable(word) + "' is unknown");
    }

    @JsonValue
    @Override
    public String toString() {
        return exitCode == null ? state.toString() : state + " (" + exitCode + ")";
    }
}
