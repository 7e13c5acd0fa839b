package dev.trama.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"web", "n1", "a", "Web_1.prod-2", "0abc",
            "a23456789012345678901234567890123456789012345678901234567890123"})
    void acceptsNamesOfTheContract(String name) {
        assertThat(Names.isValid(name)).isTrue();
        assertThat(Names.require(name, "container name")).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " web", "web ", "a b", "a;b", "$(reboot)", "`id`", "-web", ".web", "_web", "a/b",
            "a,b", "a\nb", "wéb", "a23456789012345678901234567890123456789012345678901234567890123x", "a|b", "a&b"})
    void refusesAnythingElseWithASentence(String name) {
        assertThat(Names.isValid(name)).isFalse();
        assertThatThrownBy(() -> Names.require(name, "container name"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("container name");
    }
}
