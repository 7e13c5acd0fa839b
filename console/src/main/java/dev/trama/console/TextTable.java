package dev.trama.console;

import java.util.ArrayList;
import java.util.List;

/**
 * Left-aligned columns three spaces apart, as {@code docker ps} prints them. When the rows are wider
 * than the screen, one column chosen by the caller gives up width (down to a minimum) and its long
 * cells keep their end behind "..."; the other columns are never cut, since their values are names
 * a user types back.
 */
public final class TextTable {

    static final String GAP = "   ";
    static final String ELLIPSIS = "...";

    private final List<List<String>> rows = new ArrayList<>();
    private final int columns;
    private int shrinkable = -1;
    private int minimumWidth;

    public TextTable(String... headers) {
        this.columns = headers.length;
        rows.add(List.of(headers));
    }

    /** The column that may be cut to fit the screen, and how narrow it may become. */
    public TextTable shrinkable(int column, int minimum) {
        this.shrinkable = column;
        this.minimumWidth = Math.max(minimum, ELLIPSIS.length() + 1);
        return this;
    }

    public TextTable row(String... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("a row of " + cells.length + " cells in a table of " + columns + " columns");
        }
        rows.add(List.of(cells));
        return this;
    }

    public String render(int screenWidth) {
        int[] widths = widths(screenWidth);
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                String cell = fit(row.get(i), widths[i]);
                line.append(cell);
                if (i < columns - 1) {
                    line.append(" ".repeat(widths[i] - cell.length())).append(GAP);
                }
            }
            out.append(line.toString().stripTrailing()).append('\n');
        }
        return out.toString();
    }

    private int[] widths(int screenWidth) {
        int[] widths = new int[columns];
        for (List<String> row : rows) {
            for (int i = 0; i < columns; i++) {
                widths[i] = Math.max(widths[i], row.get(i).length());
            }
        }
        int total = GAP.length() * (columns - 1);
        for (int width : widths) {
            total += width;
        }
        if (shrinkable >= 0 && total > screenWidth) {
            int header = rows.get(0).get(shrinkable).length();
            int floor = Math.max(minimumWidth, header);
            widths[shrinkable] = Math.min(widths[shrinkable], Math.max(floor, widths[shrinkable] - (total - screenWidth)));
        }
        return widths;
    }

    /** The cell, or its end behind "..." when it is wider than the column. */
    static String fit(String cell, int width) {
        if (cell.length() <= width) {
            return cell;
        }
        return ELLIPSIS + cell.substring(cell.length() - (width - ELLIPSIS.length()));
    }
}
