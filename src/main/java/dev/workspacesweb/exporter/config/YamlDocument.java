package dev.workspacesweb.exporter.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.util.JsonParserDelegate;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.DeserializationConfig;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.deser.BeanDeserializerModifier;
import com.fasterxml.jackson.databind.deser.std.DelegatingDeserializer;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * A YAML configuration file read once by Jackson's YAML parser into a tree, with the line of every key and list
 * element (Jackson's {@link com.fasterxml.jackson.core.JsonLocation}s, recorded while the tree is built), and bound
 * to immutable records by Jackson's data binding. Every mistake becomes one {@link ConfigException} naming the key
 * path ({@code server.port}, {@code aws.portals[1]}, {@code otlp.headers.Authorization}) and its line: YAML syntax,
 * duplicate and unknown keys, a value of the wrong shape or type, and the rules the records' constructors enforce.
 * Used for {@code config.yaml} and for the exporter-toolkit web config file.
 */
public final class YamlDocument {
    /** Binds trees to the configuration records: snake_case keys, no unknown keys, no silent coercion. */
    static final YAMLMapper MAPPER = YAMLMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .addModule(new SimpleModule()
                    .addDeserializer(Duration.class, new DurationDeserializer())
                    .setDeserializerModifier(new BeanDeserializerModifier() {
                        @Override
                        public JsonDeserializer<?> modifyDeserializer(DeserializationConfig config,
                                BeanDescription description, JsonDeserializer<?> deserializer) {
                            return Check.Validated.class.isAssignableFrom(description.getBeanClass())
                                    ? new Validating(deserializer) : deserializer;
                        }
                    }))
            .withCoercionConfigDefaults(c -> c.setCoercion(CoercionInputShape.EmptyString, CoercionAction.Fail))
            .build();

    /** Says where a problem at a key path is: the key (or the environment variable that set it) and the line. */
    public interface Origin {
        ConfigException error(String path, String problem);
    }

    private final String name;
    private final ObjectNode root;
    private final Map<String, Integer> lines;
    private final List<List<Object>> keys;

    private YamlDocument(String name, ObjectNode root, Map<String, Integer> lines, List<List<Object>> keys) {
        this.name = name;
        this.root = root;
        this.lines = lines;
        this.keys = keys;
    }

    /** Reads a UTF-8 file; errors name the file. */
    public static YamlDocument read(Path file) throws ConfigException {
        try {
            return parse(Files.readString(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new ConfigException(file.toString(), 0, "no such file");
        } catch (CharacterCodingException e) {
            throw new ConfigException(file.toString(), 0, "not UTF-8 text");
        } catch (IOException e) {
            throw new ConfigException(file.toString(), 0, "cannot read: " + e);
        }
    }

    /**
     * @param text the YAML text; empty or only comments is an empty mapping
     * @param name the file name, the key of errors that belong to no key (syntax errors)
     */
    public static YamlDocument parse(String text, String name) throws ConfigException {
        Map<String, Integer> lines = new HashMap<>();
        List<List<Object>> keys = new ArrayList<>();
        JsonNode root;
        int firstLine;
        try (Recorder parser = new Recorder(MAPPER.getFactory().createParser(text), lines, keys)) {
            root = MAPPER.readTree(parser);
            firstLine = parser.firstLine;
        } catch (DuplicateKey e) {
            throw e.error;
        } catch (JsonProcessingException e) {
            throw syntaxError(e, name);
        } catch (IOException e) {
            throw new ConfigException(name, 0, "cannot read the YAML: " + e.getMessage());
        }
        if (root == null || root.isMissingNode() || root.isNull()) {
            root = MAPPER.createObjectNode();
        }
        if (!(root instanceof ObjectNode object)) {
            throw new ConfigException(name, firstLine, "expected a mapping at the top level, got " + describe(root));
        }
        return new YamlDocument(name, object, Map.copyOf(lines), List.copyOf(keys));
    }

    /** 1-based line of the key or list element at {@code path}; 0 when the file does not set it. */
    public int line(String path) {
        return lines.getOrDefault(path, 0);
    }

    /** Whether the file sets {@code path}. */
    public boolean contains(String path) {
        return lines.containsKey(path);
    }

    /** The file's tree; callers get a copy to change. */
    ObjectNode tree() {
        return root.deepCopy();
    }

    /** Errors at a key path name the key and its line in this file. */
    public Origin origin() {
        return (path, problem) -> new ConfigException(path.isEmpty() ? name : path, line(path), problem);
    }

    /** Checks every key against {@code type}'s records, then binds the file to them. */
    public <T> T bind(Class<T> type) throws ConfigException {
        checkKeys(type);
        return bind(root, type, origin());
    }

    /** The first key of the file, in document order, that {@code type}'s records do not know. */
    void checkKeys(Class<?> type) throws ConfigException {
        for (List<Object> key : keys) {
            Optional<String> problem = ConfigKeys.unknown(type, key);
            if (problem.isPresent()) {
                String path = path(key);
                throw new ConfigException(path, line(path), problem.get());
            }
        }
    }

    /** Binds a tree to a record type; a mistake is reported through {@code origin}. */
    static <T> T bind(JsonNode tree, Class<T> type, Origin origin) throws ConfigException {
        try {
            return MAPPER.treeToValue(tree, type);
        } catch (JsonProcessingException e) {
            throw translate(e, tree, origin);
        } catch (Check.Problem p) {
            throw origin.error(p.key(), p.getMessage());
        }
    }

    /** The key path of a problem Jackson found, and what is wrong in the words of this project. */
    private static ConfigException translate(JsonProcessingException e, JsonNode tree, Origin origin) {
        List<Object> segments = new ArrayList<>();
        if (e instanceof JsonMappingException m) {
            for (JsonMappingException.Reference r : m.getPath()) {
                segments.add(r.getFieldName() != null ? r.getFieldName() : (Object) r.getIndex());
            }
        }
        String path = path(segments);
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof Check.Problem p) {
                return origin.error(p.key().isEmpty() ? path : path(path, p.key()), p.getMessage());
            }
            if (cause.getClass() == IllegalArgumentException.class) {
                return origin.error(path, cause.getMessage());
            }
        }
        JsonNode node = tree;
        for (Object s : segments) {
            node = s instanceof Integer i ? node.path(i) : node.path((String) s);
        }
        Class<?> target = e instanceof MismatchedInputException m ? m.getTargetType() : null;
        boolean listItem = !segments.isEmpty() && segments.getLast() instanceof Integer;
        return origin.error(path, shapeProblem(target, node, listItem).orElse(e.getOriginalMessage()));
    }

    private static Optional<String> shapeProblem(Class<?> target, JsonNode node, boolean listItem) {
        if (target == null) {
            return Optional.empty();
        }
        if (ConfigKeys.isSection(target)) {
            return Optional.of("expected a " + (listItem ? "mapping" : "section") + " with the keys "
                    + ConfigKeys.keys(target) + ", got " + describe(node));
        }
        if (Collection.class.isAssignableFrom(target)) {
            return Optional.of("expected a list such as [a, b] (or an empty list []), got " + describe(node));
        }
        if (Map.class.isAssignableFrom(target)) {
            return Optional.of("expected a mapping of names to values (or {}), got " + describe(node));
        }
        if (node.isContainerNode()) {
            return Optional.of("expected a single value, got " + describe(node));
        }
        String text = node.asText();
        if (target == int.class || target == Integer.class || target == long.class || target == Long.class) {
            return Optional.of(text.isBlank() ? "empty value, expected an integer" : "not an integer: '" + text + "'");
        }
        if (target == double.class || target == Double.class) {
            return Optional.of(text.isBlank() ? "empty value, expected a number" : "not a number: '" + text + "'");
        }
        if (target == boolean.class || target == Boolean.class) {
            return Optional.of("expected true or false, got '" + text + "'");
        }
        if (target.isEnum()) {
            return Optional.of("must be one of " + Arrays.stream(target.getEnumConstants())
                    .map(c -> c.toString().toLowerCase(Locale.ROOT))
                    .collect(Collectors.joining(", ")) + ", got '" + text + "'");
        }
        return Optional.empty();
    }

    /** The shape of a node, never a value (it may be a secret). */
    private static String describe(JsonNode node) {
        return node.isObject() ? "a mapping" : node.isArray() ? "a list" : node.isMissingNode() ? "nothing"
                : "a single value";
    }

    private static ConfigException syntaxError(JsonProcessingException e, String name) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked) {
                Mark mark = marked.getProblemMark() != null ? marked.getProblemMark() : marked.getContextMark();
                String problem = marked.getProblem() != null ? marked.getProblem() : "invalid YAML";
                String context = marked.getContext() != null ? marked.getContext() + ": " : "";
                return new ConfigException(name, mark == null ? 0 : mark.getLine() + 1,
                        "YAML syntax error: " + context + problem.strip());
            }
        }
        return new ConfigException(name, e.getLocation() == null ? 0 : e.getLocation().getLineNr(),
                "YAML syntax error: " + e.getOriginalMessage());
    }

    /** {@code a.b[1].c} from names and indexes. */
    static String path(List<Object> segments) {
        String path = "";
        for (Object s : segments) {
            path = path(path, s);
        }
        return path;
    }

    static String path(String parent, Object segment) {
        if (segment instanceof Integer i) {
            return parent + "[" + i + "]";
        }
        return parent.isEmpty() ? segment.toString() : parent + "." + segment;
    }

    /** Durations in Prometheus style ({@code 500ms}, {@code 30s}, {@code 1h30m}), see {@link Durations}. */
    private static final class DurationDeserializer extends StdScalarDeserializer<Duration> {
        private static final long serialVersionUID = 1L;

        DurationDeserializer() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            if (!p.currentToken().isScalarValue()) {
                return (Duration) ctxt.handleUnexpectedToken(Duration.class, p);
            }
            return Durations.parse(p.getText());
        }
    }

    /** Runs a record's rules as soon as Jackson has built it, so that Jackson's path names the record. */
    private static final class Validating extends DelegatingDeserializer {
        private static final long serialVersionUID = 1L;

        Validating(JsonDeserializer<?> delegate) {
            super(delegate);
        }

        @Override
        protected JsonDeserializer<?> newDelegatingInstance(JsonDeserializer<?> newDelegatee) {
            return new Validating(newDelegatee);
        }

        @Override
        public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            Object value = super.deserialize(p, ctxt);
            if (value instanceof Check.Validated validated) {
                validated.validate();
            }
            return value;
        }
    }

    private static final class DuplicateKey extends IOException {
        private static final long serialVersionUID = 1L;
        final transient ConfigException error;

        DuplicateKey(ConfigException error) {
            super(error.getMessage());
            this.error = error;
        }
    }

    /**
     * Records, while Jackson builds the tree, the path and line of every key and list element, in document order;
     * refuses a key set twice in one mapping and YAML tags (a {@code !!python/int} is no value of ours).
     */
    private static final class Recorder extends JsonParserDelegate {
        private static final Pattern CORE_TAG = Pattern.compile("tag:yaml\\.org,2002:(str|int|float|bool|null|seq|map)");
        private final Map<String, Integer> lines;
        private final List<List<Object>> keys;
        int firstLine;

        Recorder(JsonParser parser, Map<String, Integer> lines, List<List<Object>> keys) {
            super(parser);
            this.lines = lines;
            this.keys = keys;
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken token = delegate.nextToken();
            if (token == null) {
                return null;
            }
            int line = delegate.currentTokenLocation().getLineNr();
            if (firstLine == 0) {
                firstLine = line;
            }
            JsonStreamContext context = delegate.getParsingContext();
            if (token == JsonToken.FIELD_NAME) {
                List<Object> key = segments(context);
                String path = path(key);
                Integer first = lines.putIfAbsent(path, line);
                if (first != null) {
                    throw new DuplicateKey(new ConfigException(path, line, "duplicate key (first set at line " + first + ")"));
                }
                keys.add(key);
            } else if (token != JsonToken.END_ARRAY && token != JsonToken.END_OBJECT) {
                String tag = delegate instanceof YAMLParser yaml ? yaml.getTypeId() : null;
                if (tag != null && !CORE_TAG.matcher(tag).matches()) {
                    throw new JsonProcessingException("unsupported tag " + tag.replace("tag:yaml.org,2002:", "!!"),
                            delegate.currentTokenLocation()) {
                        private static final long serialVersionUID = 1L;
                    };
                }
                JsonStreamContext container = token.isStructStart() ? context.getParent() : context;
                if (container != null && container.inArray()) {
                    String path = path(segments(container));
                    lines.put(path, line);
                }
            }
            return token;
        }

        @Override
        public JsonToken nextValue() throws IOException {
            JsonToken token = nextToken();
            return token == JsonToken.FIELD_NAME ? nextToken() : token;
        }

        private static List<Object> segments(JsonStreamContext context) {
            List<Object> out = new ArrayList<>();
            for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
                out.addFirst(c.inArray() ? (Object) c.getCurrentIndex() : c.getCurrentName());
            }
            return out;
        }
    }
}
