package dev.workspacesweb.exporter.cli;

/** {@code --output}: an aligned table for a terminal, one JSON document, or CSV (RFC 4180). */
enum OutputFormat {
    table,
    json,
    csv
}
