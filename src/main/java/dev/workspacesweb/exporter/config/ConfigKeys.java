package dev.workspacesweb.exporter.config;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The keys of a configuration file, read from its record types (the schema is the records, nothing else): a record
 * is a section, each component a key in snake_case; a list or map of values is one key; a list of records
 * ({@code policies}) and a map ({@code otlp.headers}) are file-only, as is a component marked {@link FileOnly}.
 */
final class ConfigKeys {
    private ConfigKeys() {}

    /** A key that no environment variable overrides. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.RECORD_COMPONENT)
    @interface FileOnly {}

    /** How a key may be set. */
    enum Kind { VALUE, LIST, FILE_ONLY }

    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    /** The YAML key of a record component, as Jackson binds it. */
    static String name(RecordComponent component) {
        return SNAKE_CASE.translate(component.getName());
    }

    /** Every key path that holds a value (sections excluded), in declaration order, with how it may be set. */
    static Map<String, Kind> leaves(Class<?> root) {
        Map<String, Kind> out = new LinkedHashMap<>();
        collect(root, "", out);
        return out;
    }

    private static void collect(Class<?> record, String prefix, Map<String, Kind> out) {
        for (RecordComponent c : record.getRecordComponents()) {
            String path = prefix + name(c);
            Type type = c.getGenericType();
            if (isSection(raw(type))) {
                collect(raw(type), path + ".", out);
            } else if (c.isAnnotationPresent(FileOnly.class) || Map.class.isAssignableFrom(raw(type))
                    || (List.class.isAssignableFrom(raw(type)) && isSection(raw(argument(type, 0))))) {
                out.put(path, Kind.FILE_ONLY);
            } else {
                out.put(path, List.class.isAssignableFrom(raw(type)) ? Kind.LIST : Kind.VALUE);
            }
        }
    }

    /**
     * Whether the key at {@code path} (names and list indexes from the document root) exists in {@code root}'s
     * records; a problem naming the known keys when not. A key below a plain value is left to the binding, which
     * reports the value's shape.
     */
    static Optional<String> unknown(Class<?> root, List<Object> path) {
        Type type = root;
        String parent = "";
        for (Object segment : path) {
            Class<?> raw = raw(type);
            if (isSection(raw) && segment instanceof String name) {
                RecordComponent found = Arrays.stream(raw.getRecordComponents())
                        .filter(c -> name(c).equals(name)).findFirst().orElse(null);
                if (found == null) {
                    return Optional.of("unknown key in " + (parent.isEmpty() ? "the top level" : parent)
                            + " (known keys: " + keys(raw) + ")");
                }
                type = found.getGenericType();
            } else if (List.class.isAssignableFrom(raw) && segment instanceof Integer) {
                type = argument(type, 0);
            } else if (Map.class.isAssignableFrom(raw) && segment instanceof String) {
                type = argument(type, 1);
            } else {
                return Optional.empty();
            }
            parent = YamlDocument.path(parent, segment);
        }
        return Optional.empty();
    }

    /**
     * Whether a type is a section (a mapping of keys): a record, unless it is a value read from one string
     * ({@link PortalRef}, with a delegating {@link JsonCreator}).
     */
    static boolean isSection(Class<?> type) {
        return type.isRecord() && Arrays.stream(type.getDeclaredMethods()).noneMatch(m -> Modifier.isStatic(m.getModifiers())
                && m.isAnnotationPresent(JsonCreator.class)
                && m.getAnnotation(JsonCreator.class).mode() == JsonCreator.Mode.DELEGATING);
    }

    /** The keys of a section, in declaration order. */
    static String keys(Class<?> record) {
        return Arrays.stream(record.getRecordComponents()).map(ConfigKeys::name).collect(Collectors.joining(", "));
    }

    static Class<?> raw(Type type) {
        return switch (type) {
            case Class<?> c -> c;
            case ParameterizedType p -> (Class<?>) p.getRawType();
            default -> Object.class;
        };
    }

    private static Type argument(Type type, int index) {
        return type instanceof ParameterizedType p ? p.getActualTypeArguments()[index] : Object.class;
    }
}
