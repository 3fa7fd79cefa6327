package io.captioner.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A small RFC 4180 parser: fields separated by commas, records by LF, CRLF or CR; a field in
 * double quotes may hold commas, line breaks and doubled quotes ({@code ""} for one quote). Empty
 * lines are skipped. A quote inside an unquoted field is kept as a literal character.
 */
final class CsvRecords {

    /** One record and the 1-based line it starts on. */
    record Row(int line, List<String> fields) {}

    private CsvRecords() {}

    static List<Row> parse(Path file, String text) {
        List<Row> rows = new ArrayList<>();
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        int line = 1;
        int rowLine = 1;
        boolean atFieldStart = true; // nothing of the current field read yet
        boolean rowHasContent = false; // the current line is not empty
        int i = 0;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"' && atFieldStart) {
                int quoteLine = line;
                i++;
                boolean closed = false;
                while (i < n) {
                    char q = text.charAt(i);
                    if (q == '"') {
                        if (i + 1 < n && text.charAt(i + 1) == '"') {
                            field.append('"');
                            i += 2;
                            continue;
                        }
                        closed = true;
                        i++;
                        break;
                    }
                    if (q == '\n' || (q == '\r' && (i + 1 >= n || text.charAt(i + 1) != '\n'))) {
                        line++;
                    }
                    field.append(q);
                    i++;
                }
                if (!closed) {
                    throw TextFiles.error(file, quoteLine,
                            "unterminated quoted field (no closing '\"' before the end of the file)",
                            lineText(text, quoteLine));
                }
                atFieldStart = false;
                rowHasContent = true;
                if (i < n && text.charAt(i) != ',' && text.charAt(i) != '\n' && text.charAt(i) != '\r') {
                    throw TextFiles.error(file, line,
                            "a closing quote must be followed by ',' or the end of the line",
                            lineText(text, line));
                }
                continue;
            }
            if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                atFieldStart = true;
                rowHasContent = true;
                i++;
                continue;
            }
            if (c == '\r' || c == '\n') {
                i += (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') ? 2 : 1;
                endRow(rows, fields, field, rowHasContent, rowLine);
                atFieldStart = true;
                rowHasContent = false;
                line++;
                rowLine = line;
                continue;
            }
            field.append(c);
            atFieldStart = false;
            rowHasContent = true;
            i++;
        }
        endRow(rows, fields, field, rowHasContent, rowLine);
        return rows;
    }

    private static void endRow(List<Row> rows, List<String> fields, StringBuilder field,
            boolean rowHasContent, int rowLine) {
        if (!rowHasContent) {
            return; // empty line
        }
        fields.add(field.toString());
        rows.add(new Row(rowLine, List.copyOf(fields)));
        fields.clear();
        field.setLength(0);
    }

    private static String lineText(String text, int line) {
        String[] lines = text.split("\r\n|\r|\n", -1);
        return line - 1 < lines.length ? lines[line - 1] : "";
    }
}
