package dev.trama.console;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TextTableTest {

    @Test
    void columnsAreLeftAlignedThreeSpacesApartWithoutTrailingBlanks() {
        String text = new TextTable("NAME", "IP").row("web", "10.10.0.5/16").row("database", "-").render(80);
        assertThat(text).isEqualTo("""
                NAME       IP
                web        10.10.0.5/16
                database   -
                """);
    }

    @Test
    void onlyTheShrinkableColumnIsCutKeepingItsEnd() {
        TextTable table = new TextTable("A", "B", "C").shrinkable(1, 8)
                .row("alpha", "registry.example.com/team/app:1.2.3", "last");
        String text = table.render(30);
        assertThat(text.lines()).allMatch(line -> line.length() <= 30);
        assertThat(text).contains("alpha").contains("last").contains("...");
        assertThat(text.lines().skip(1).findFirst().orElseThrow()).isEqualTo("alpha   ...am/app:1.2.3   last");
    }

    @Test
    void theShrinkableColumnKeepsItsMinimumAndHeader() {
        String text = new TextTable("NAME", "IMAGE-REFERENCE").shrinkable(1, 4).row("x", "a".repeat(40)).render(10);
        assertThat(text.lines().findFirst().orElseThrow()).isEqualTo("NAME   IMAGE-REFERENCE");
        assertThat(text.lines().skip(1).findFirst().orElseThrow()).isEqualTo("x      ..." + "a".repeat(12));
    }

    @Test
    void aTableThatFitsIsNeverCut() {
        String image = "registry.example.com/team/app:1.2.3";
        assertThat(new TextTable("IMAGE").shrinkable(0, 5).row(image).render(80)).contains(image);
    }

    @Test
    void rowsMustHaveOneCellPerColumn() {
        assertThatThrownBy(() -> new TextTable("A", "B").row("only one")).isInstanceOf(IllegalArgumentException.class);
    }
}
