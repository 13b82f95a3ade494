package dev.workspacesweb.exporter.config;

import dev.workspacesweb.exporter.config.ConfigSchema.Scalar;
import dev.workspacesweb.exporter.config.ConfigSchema.ScalarList;
import dev.workspacesweb.exporter.config.ConfigSchema.Section;
import dev.workspacesweb.exporter.config.ConfigSchema.SectionList;
import dev.workspacesweb.exporter.config.ConfigSchema.Shape;
import dev.workspacesweb.exporter.config.ConfigSchema.StringMap;
import java.io.StringReader;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * What Helidon Config cannot tell: where each key is. The file is composed with SnakeYAML into a node tree (which
 * keeps positions), checked against {@link ConfigSchema} (unknown and duplicate keys, a list where a value belongs,
 * ...), and every key path is mapped to its 1-based line. Values are read by Helidon Config, not here.
 *
 * <p>Key paths: {@code server.port}, list elements {@code aws.regions[1]}, {@code policies[0].name},
 * {@code otlp.headers.Authorization}.
 */
final class YamlStructure {
    private static final YamlStructure EMPTY = new YamlStructure(Map.of());

    private final Map<String, Integer> lines;

    private YamlStructure(Map<String, Integer> lines) {
        this.lines = lines;
    }

    /** No file: no lines. */
    static YamlStructure empty() {
        return EMPTY;
    }

    /**
     * @param content  the YAML text
     * @param fileName used as the key of syntax errors, which belong to no key
     * @throws ConfigException on a syntax error (with its line) or the first structural mistake in document order
     */
    static YamlStructure check(String content, String fileName) throws ConfigException {
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new StringReader(content));
        } catch (MarkedYAMLException e) {
            throw syntaxError(e, fileName);
        } catch (YAMLException e) {
            throw new ConfigException(fileName, 0, "YAML syntax error: " + e.getMessage());
        }
        Map<String, Integer> lines = new HashMap<>();
        if (root != null && !isNull(root)) {
            if (!(root instanceof MappingNode)) {
                throw new ConfigException(fileName, line(root),
                        "the top level must be a mapping of sections (server:, aws:, poll:, ...), got " + describe(root));
            }
            new Walker(lines).section((MappingNode) root, ConfigSchema.ROOT, "");
        }
        return new YamlStructure(Map.copyOf(lines));
    }

    /** A syntax error (also one Helidon's own parse reports), with its line when SnakeYAML knows it. */
    static ConfigException syntaxError(MarkedYAMLException e, String fileName) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
        String context = e.getContext() != null ? e.getContext() + ": " : "";
        return new ConfigException(fileName, mark == null ? 0 : mark.getLine() + 1,
                "YAML syntax error: " + context + problem.strip());
    }

    /** 1-based line of {@code keyPath} in the file, 0 when it is not in the file. */
    int line(String keyPath) {
        return lines.getOrDefault(keyPath, 0);
    }

    /** Whether the file sets {@code keyPath}. */
    boolean contains(String keyPath) {
        return lines.containsKey(keyPath);
    }

    private static int line(Node node) {
        return node.getStartMark().getLine() + 1;
    }

    /** A plain empty value, {@code ~} or {@code null}: "nothing here", accepted for sections, lists and maps. */
    private static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && Tag.NULL.equals(scalar.getTag());
    }

    private static String describe(Node node) {
        return switch (node) {
            case MappingNode m -> "a mapping";
            case SequenceNode s -> "a list";
            case ScalarNode s -> "'" + s.getValue() + "'";
            default -> "an alias";
        };
    }

    /** Walks the composed tree along the schema, recording lines and stopping at the first mistake. */
    private record Walker(Map<String, Integer> lines) {
        void section(MappingNode mapping, Section schema, String path) throws ConfigException {
            Map<String, Integer> seen = new HashMap<>();
            for (NodeTuple tuple : mapping.getValue()) {
                String name = keyName(tuple.getKeyNode(), path);
                String childPath = path.isEmpty() ? name : path + "." + name;
                int keyLine = line(tuple.getKeyNode());
                Integer first = seen.putIfAbsent(name, keyLine);
                if (first != null) {
                    throw new ConfigException(childPath, keyLine, "duplicate key (first set at line " + first + ")");
                }
                Shape shape = schema.keys().get(name);
                if (shape == null) {
                    String where = path.isEmpty() ? "unknown top-level key" : "unknown key in " + path;
                    throw new ConfigException(childPath, keyLine,
                            where + " (known keys: " + String.join(", ", schema.keys().keySet()) + ")");
                }
                lines.put(childPath, keyLine);
                value(tuple.getValueNode(), shape, childPath, keyLine);
            }
        }

        private void value(Node node, Shape shape, String path, int keyLine) throws ConfigException {
            switch (shape) {
                case Section section -> {
                    if (node instanceof MappingNode mapping) {
                        section(mapping, section, path);
                    } else if (!isNull(node)) {
                        throw new ConfigException(path, keyLine, "expected a section with the keys "
                                + String.join(", ", section.keys().keySet()) + ", got " + describe(node));
                    }
                }
                case Scalar scalar -> {
                    if (!(node instanceof ScalarNode)) {
                        throw new ConfigException(path, keyLine, "expected a single value, got " + describe(node));
                    }
                }
                case ScalarList list -> {
                    if (node instanceof SequenceNode sequence) {
                        List<Node> items = sequence.getValue();
                        for (int i = 0; i < items.size(); i++) {
                            String itemPath = path + "[" + i + "]";
                            Node item = items.get(i);
                            lines.put(itemPath, line(item));
                            if (!(item instanceof ScalarNode)) {
                                throw new ConfigException(itemPath, line(item),
                                        "expected a single value, got " + describe(item));
                            }
                        }
                    } else if (!isNull(node)) {
                        throw new ConfigException(path, keyLine,
                                "expected a list such as [a, b] (or an empty list []), got " + describe(node));
                    }
                }
                case SectionList list -> {
                    if (node instanceof SequenceNode sequence) {
                        List<Node> items = sequence.getValue();
                        for (int i = 0; i < items.size(); i++) {
                            String itemPath = path + "[" + i + "]";
                            Node item = items.get(i);
                            lines.put(itemPath, line(item));
                            if (!(item instanceof MappingNode mapping)) {
                                throw new ConfigException(itemPath, line(item), "expected a mapping with the keys "
                                        + String.join(", ", list.entry().keys().keySet()) + ", got " + describe(item));
                            }
                            section(mapping, list.entry(), itemPath);
                        }
                    } else if (!isNull(node)) {
                        throw new ConfigException(path, keyLine,
                                "expected a list of mappings (or an empty list []), got " + describe(node));
                    }
                }
                case StringMap map -> {
                    if (node instanceof MappingNode mapping) {
                        Map<String, Integer> seen = new HashMap<>();
                        for (NodeTuple tuple : mapping.getValue()) {
                            String name = keyName(tuple.getKeyNode(), path);
                            String entryPath = path + "." + name;
                            int entryLine = line(tuple.getKeyNode());
                            Integer first = seen.putIfAbsent(name, entryLine);
                            if (first != null) {
                                throw new ConfigException(entryPath, entryLine,
                                        "duplicate key (first set at line " + first + ")");
                            }
                            lines.put(entryPath, entryLine);
                            if (!(tuple.getValueNode() instanceof ScalarNode)) {
                                throw new ConfigException(entryPath, entryLine,
                                        "expected a single value, got " + describe(tuple.getValueNode()));
                            }
                        }
                    } else if (!isNull(node)) {
                        throw new ConfigException(path, keyLine,
                                "expected a mapping of names to values (or {}), got " + describe(node));
                    }
                }
            }
        }

        private static String keyName(Node key, String parentPath) throws ConfigException {
            if (!(key instanceof ScalarNode scalar)) {
                throw new ConfigException(parentPath.isEmpty() ? "(top level)" : parentPath, line(key),
                        "keys must be plain names, got " + describe(key));
            }
            return scalar.getValue();
        }
    }
}
