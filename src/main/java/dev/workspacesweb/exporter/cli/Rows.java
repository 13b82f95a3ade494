package dev.workspacesweb.exporter.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * Writes records as rows in one of the {@link OutputFormat}s, streaming: each row is written when it arrives and
 * {@link #flush()} pushes a page out, so a long listing shows up page by page.
 *
 * <ul>
 *   <li>table: fixed column widths (every column but the last has a known maximum width), so rows align across
 *       pages without buffering; the free-text column comes last. Control and invisible formatting characters (a
 *       hostile username could carry terminal escape sequences or bidi overrides) are shown as {@code \}{@code uXXXX}.</li>
 *   <li>json: one array of objects (one object with {@link #single}), Jackson's streaming generator.</li>
 *   <li>csv: a header row, RFC 4180 quoting, and a leading {@code '} before a value starting with = + - @ or a tab,
 *       so that a spreadsheet does not run a username as a formula.</li>
 * </ul>
 */
final class Rows implements AutoCloseable {
    /**
     * A column: its JSON name, CSV and table header, and table width (0 for the last, unbounded one; negative for a
     * column left out of the table, e.g. a long ARN that would break the alignment, but kept in JSON and CSV).
     */
    record Column(String jsonName, String header, int width) {}

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSX").withZone(ZoneOffset.UTC);
    private static final JsonFactory JSON = new JsonFactory();

    private final OutputFormat format;
    private final PrintWriter out;
    private final List<Column> columns;
    private final boolean single;
    private JsonGenerator json;
    private boolean started;

    private Rows(OutputFormat format, PrintWriter out, List<Column> columns, boolean single) {
        this.format = format;
        this.out = out;
        this.columns = List.copyOf(columns);
        this.single = single;
    }

    /** Rows of a listing. */
    static Rows list(OutputFormat format, PrintWriter out, List<Column> columns) {
        return new Rows(format, out, columns, false);
    }

    /** Exactly one record: JSON writes an object instead of an array, a table one "Header: value" line per column. */
    static Rows single(OutputFormat format, PrintWriter out, List<Column> columns) {
        return new Rows(format, out, columns, true);
    }

    /** Times in ISO 8601, UTC, always with milliseconds (fixed width for the table); null stays null (JSON null). */
    static String time(Instant t) {
        return t == null ? null : TIME.format(t);
    }

    /**
     * One record; values are strings, in column order. A {@code List<String>} value is a JSON array, joined with
     * spaces elsewhere. A null value is JSON null and empty elsewhere.
     */
    void row(Object... values) {
        start();
        try {
            switch (format) {
                case table -> tableRow(values);
                case csv -> csvRow(values);
                case json -> jsonRow(values);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void start() {
        if (started) {
            return;
        }
        started = true;
        try {
            switch (format) {
                case table -> {
                    if (!single) {
                        out.println(tableLine(columns.stream().map(Column::header).toArray()));
                    }
                    // (single records list every column, one per line)
                }
                case csv -> out.print(csvLine(columns.stream().map(Column::header).toArray()));
                case json -> {
                    json = JSON.createGenerator(out);
                    json.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
                    json.useDefaultPrettyPrinter();
                    if (!single) {
                        json.writeStartArray();
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void tableRow(Object[] values) {
        if (!single) {
            out.println(tableLine(values));
            return;
        }
        int width = columns.stream().mapToInt(c -> c.header().length()).max().orElse(0) + 1;
        for (int i = 0; i < columns.size(); i++) {
            out.println(pad(columns.get(i).header() + ":", width) + " " + printable(text(values[i])));
        }
    }

    private String tableLine(Object[] values) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            int width = columns.get(i).width();
            if (width < 0) {
                continue;
            }
            String v = printable(text(values[i]));
            line.append(width == 0 ? v : pad(v, width)).append("  ");
        }
        return line.toString().stripTrailing();
    }

    private void csvRow(Object[] values) {
        out.print(csvLine(values));
    }

    private static String csvLine(Object[] values) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                line.append(',');
            }
            line.append(csvField(text(values[i])));
        }
        return line.append("\r\n").toString();
    }

    static String csvField(String value) {
        String v = value;
        if (!v.isEmpty() && "=+-@\t\r".indexOf(v.charAt(0)) >= 0) {
            v = "'" + v;
        }
        boolean quote = v.indexOf(',') >= 0 || v.indexOf('"') >= 0 || v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0
                || (!v.isEmpty() && (v.charAt(0) == ' ' || v.charAt(v.length() - 1) == ' '));
        return quote ? '"' + v.replace("\"", "\"\"") + '"' : v;
    }

    private void jsonRow(Object[] values) throws IOException {
        json.writeStartObject();
        for (int i = 0; i < columns.size(); i++) {
            json.writeFieldName(columns.get(i).jsonName());
            Object v = values[i];
            if (v == null) {
                json.writeNull();
            } else if (v instanceof List<?> list) {
                json.writeStartArray();
                for (Object item : list) {
                    json.writeString(String.valueOf(item));
                }
                json.writeEndArray();
            } else if (v instanceof Number n) {
                json.writeNumber(n.toString());
            } else {
                json.writeString(v.toString());
            }
        }
        json.writeEndObject();
    }

    /** Pushes what was written so far out (after each page). */
    void flush() {
        try {
            if (json != null) {
                json.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }

    /** Ends the document: an empty listing still prints its header (table, csv) or {@code []} (json). */
    @Override
    public void close() {
        start();
        try {
            if (json != null) {
                if (!single) {
                    json.writeEndArray();
                }
                json.flush();
                out.println();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.flush();
    }

    private static String text(Object v) {
        if (v == null) {
            return "";
        }
        if (v instanceof List<?> list) {
            return String.join(" ", list.stream().map(String::valueOf).toList());
        }
        return v.toString();
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** Escapes what a terminal would act on or hide: C0/C1 controls, DEL, and format characters (bidi, zero-width). */
    static String printable(String s) {
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            int type = Character.getType(c);
            boolean unsafe = Character.isISOControl(c) || type == Character.FORMAT || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR;
            if (unsafe && out == null) {
                out = new StringBuilder(s.length() + 8).append(s, 0, i);
            }
            if (out != null) {
                if (unsafe) {
                    out.append(String.format("\\u%04x", (int) c));
                } else {
                    out.append(c);
                }
            }
        }
        return out == null ? s : out.toString();
    }
}
