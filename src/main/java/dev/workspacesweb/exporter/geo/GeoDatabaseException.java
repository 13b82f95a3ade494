package dev.workspacesweb.exporter.geo;

import java.nio.file.Path;

/** A GeoIP database that cannot be used: missing, unreadable, not a MaxMind DB, or of the wrong kind. */
public final class GeoDatabaseException extends Exception {
    private final GeoDatabase.Kind kind;
    private final Path file;

    GeoDatabaseException(GeoDatabase.Kind kind, Path file, String problem, Throwable cause) {
        super(file + ": " + problem, cause);
        this.kind = kind;
        this.file = file;
    }

    /** Which of the databases it is, so that the caller can name its configuration key. */
    public GeoDatabase.Kind kind() {
        return kind;
    }

    public Path file() {
        return file;
    }
}
