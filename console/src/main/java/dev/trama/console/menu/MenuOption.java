package dev.trama.console.menu;

/** The entries of the menu, numbered as the original console numbered them. */
enum MenuOption {
    LAUNCH("Launch container"),
    DESTROY("Destroy container"),
    SYSTEM_INFORMATION("System information"),
    LEAVE("Leave cluster and close"),
    CLOSE("Close console");

    private final String label;

    MenuOption(String label) {
        this.label = label;
    }

    int number() {
        return ordinal() + 1;
    }

    String label() {
        return label;
    }

    static MenuOption numbered(int number) {
        if (number < 1 || number > values().length) {
            throw new IllegalArgumentException(hint());
        }
        return values()[number - 1];
    }

    static String hint() {
        return "choose a number from 1 to " + values().length;
    }

    /** The menu as it is printed before each choice. */
    static String listing() {
        StringBuilder text = new StringBuilder();
        for (MenuOption option : values()) {
            text.append("  ").append(option.number()).append(". ").append(option.label()).append('\n');
        }
        return text.toString();
    }
}
