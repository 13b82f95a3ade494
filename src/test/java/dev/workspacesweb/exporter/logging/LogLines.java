package dev.workspacesweb.exporter.logging;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workspacesweb.exporter.config.AgentConfig.LogFormat;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Strict readers of one log line, for the tests: logfmt as go-logfmt reads it (bare or double-quoted values, the
 * escapes {@code \" \\ \n \r \t \}{@code uXXXX}, no repeated key), and JSON (one object of string values).
 * Anything else is an IllegalArgumentException naming what is wrong.
 */
final class LogLines {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LogLines() {}

    static Map<String, String> parse(LogFormat format, String line) {
        return format == LogFormat.JSON ? json(line) : logfmt(line);
    }

    static Map<String, String> json(String line) {
        JsonNode node;
        try {
            node = JSON.readTree(line);
        } catch (Exception e) {
            throw new IllegalArgumentException("not JSON: " + e.getMessage() + ": " + line);
        }
        if (node == null || !node.isObject()) {
            throw new IllegalArgumentException("not a JSON object: " + line);
        }
        Map<String, String> out = new LinkedHashMap<>();
        node.properties().forEach(e -> {
            if (!e.getValue().isTextual()) {
                throw new IllegalArgumentException("value of " + e.getKey() + " is not a string: " + line);
            }
            out.put(e.getKey(), e.getValue().asText());
        });
        return out;
    }

    static Map<String, String> logfmt(String line) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = line.length();
        if (n == 0) {
            throw new IllegalArgumentException("empty line");
        }
        while (i < n) {
            int keyStart = i;
            while (i < n && line.charAt(i) > ' ' && line.charAt(i) != '=' && line.charAt(i) != '"') {
                i++;
            }
            if (i == keyStart || i >= n || line.charAt(i) != '=') {
                throw new IllegalArgumentException("expected key= at " + keyStart + ": " + line);
            }
            String key = line.substring(keyStart, i);
            i++;
            StringBuilder value = new StringBuilder();
            if (i < n && line.charAt(i) == '"') {
                i++;
                boolean closed = false;
                while (i < n) {
                    char c = line.charAt(i++);
                    if (c == '"') {
                        closed = true;
                        break;
                    }
                    if (c < ' ') {
                        throw new IllegalArgumentException("raw control character in " + key + ": " + line);
                    }
                    if (c != '\\') {
                        value.append(c);
                        continue;
                    }
                    if (i >= n) {
                        throw new IllegalArgumentException("dangling escape in " + key + ": " + line);
                    }
                    char e = line.charAt(i++);
                    switch (e) {
                        case '"' -> value.append('"');
                        case '\\' -> value.append('\\');
                        case 'n' -> value.append('\n');
                        case 'r' -> value.append('\r');
                        case 't' -> value.append('\t');
                        case 'u' -> {
                            if (i + 4 > n) {
                                throw new IllegalArgumentException("short \\u escape in " + key + ": " + line);
                            }
                            value.append((char) Integer.parseInt(line.substring(i, i + 4), 16));
                            i += 4;
                        }
                        default -> throw new IllegalArgumentException("unknown escape \\" + e + " in " + key + ": " + line);
                    }
                }
                if (!closed) {
                    throw new IllegalArgumentException("unterminated quote in " + key + ": " + line);
                }
            } else {
                while (i < n && line.charAt(i) != ' ') {
                    char c = line.charAt(i++);
                    if (c < ' ' || c == '"' || c == '=') {
                        throw new IllegalArgumentException("bad character in the bare value of " + key + ": " + line);
                    }
                    value.append(c);
                }
            }
            if (out.put(key, value.toString()) != null) {
                throw new IllegalArgumentException("repeated key " + key + ": " + line);
            }
            if (i < n) {
                if (line.charAt(i) != ' ' || i + 1 >= n) {
                    throw new IllegalArgumentException("expected one space between pairs at " + i + ": " + line);
                }
                i++;
            }
        }
        return out;
    }
}
