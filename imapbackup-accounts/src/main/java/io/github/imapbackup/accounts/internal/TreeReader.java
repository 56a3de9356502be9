package io.github.imapbackup.accounts.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads a YAML or JSON file into {@link Node}s that remember their line and column: YAML for
 * {@code .yaml}/{@code .yml}, JSON for {@code .json}, otherwise JSON when the first character is
 * <code>{</code>, else YAML.
 */
public final class TreeReader {

    /** The largest configuration file read: far more than thousands of accounts need. */
    static final long MAX_SIZE = 16L << 20;

    private final Path file;
    private final Problems problems;
    /** YAML's anchors ({@code &name}) and the values they name, for aliases ({@code *name}). */
    private final Map<String, Node> anchors = new HashMap<>();

    private TreeReader(Path file, Problems problems) {
        this.file = file;
        this.problems = problems;
    }

    /**
     * Reads a file.
     *
     * @param file the file
     * @param problems where syntax errors go
     * @return the root, or null when the file could not be read or parsed (the problem is recorded)
     */
    public static Node read(Path file, Problems problems) {
        return new TreeReader(file, problems).read();
    }

    private Node read() {
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                problems.add(0, 0, "", "is a directory, not a configuration file");
                return null;
            }
            if (Files.size(file) > MAX_SIZE) {
                problems.add(0, 0, "", "is larger than " + (MAX_SIZE >> 20) + " MiB: not a configuration file");
                return null;
            }
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readAllBytes();
            }
        } catch (java.nio.file.NoSuchFileException e) {
            problems.add(0, 0, "", "the configuration file does not exist");
            return null;
        } catch (java.nio.file.AccessDeniedException e) {
            problems.add(0, 0, "", "the configuration file cannot be read: permission denied");
            return null;
        } catch (IOException e) {
            problems.add(0, 0, "", "the configuration file cannot be read: " + e.getMessage());
            return null;
        }
        boolean yaml = isYaml(bytes);
        JsonFactory factory = yaml ? YAMLFactory.builder().build()
                : JsonFactory.builder().enable(JsonReadFeature.ALLOW_JAVA_COMMENTS).build();
        try (JsonParser p = factory.createParser(bytes)) {
            JsonToken t = p.nextToken();
            if (t == null) {
                problems.add(0, 0, "", "the file is empty: expected " + (yaml ? "YAML" : "JSON")
                        + " with destination and accounts (see docs/CONFIG.md)");
                return null;
            }
            Node root = value(p, "");
            if (p.nextToken() != null) {
                JsonLocation at = p.currentTokenLocation();
                problems.add(at.getLineNr(), at.getColumnNr(), "", "unexpected content after the end of the "
                        + (yaml ? "first YAML document: give one document" : "JSON object"));
            }
            return root;
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            problems.add(at == null ? 0 : at.getLineNr(), at == null ? 0 : at.getColumnNr(), "",
                    "not valid " + (yaml ? "YAML" : "JSON") + ": " + e.getOriginalMessage());
            return null;
        } catch (IOException e) {
            problems.add(0, 0, "", "the configuration file cannot be read: " + e.getMessage());
            return null;
        }
    }

    /**
     * YAML's merge key ({@code <<: *defaults}, or a list of aliases): the keys of the maps it
     * names that the map does not give itself, the first map first.
     */
    private void merge(List<Node> merged, Map<String, Node> entries, Map<String, int[]> keys, String path) {
        for (Node m : merged) {
            for (Node source : m instanceof Node.ListNode l ? l.items() : List.of(m)) {
                if (source instanceof Node.MapNode map) {
                    map.entries().forEach(entries::putIfAbsent);
                    map.keys().forEach(keys::putIfAbsent);
                } else if (!(source instanceof Node.Scalar s && s.type() == Node.Type.NULL)) {
                    problems.add(source, path.isEmpty() ? "<<" : path + ".<<", "a merge key (<<) takes a map, or a"
                            + " list of maps, such as *defaults; not " + source.kind());
                }
            }
        }
    }

    private boolean isYaml(byte[] bytes) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".yaml") || name.endsWith(".yml")) {
            return true;
        }
        if (name.endsWith(".json")) {
            return false;
        }
        int i = bytes.length >= 3 && (bytes[0] & 0xFF) == 0xEF && (bytes[1] & 0xFF) == 0xBB ? 3 : 0;
        while (i < bytes.length && Character.isWhitespace(bytes[i])) {
            i++;
        }
        return i >= bytes.length || bytes[i] != '{';
    }

    private Node value(JsonParser p, String path) throws IOException {
        if (p instanceof YAMLParser y && y.isCurrentAlias()) {
            Node target = anchors.get(p.getText());
            if (target == null) {
                JsonLocation at = p.currentTokenLocation();
                problems.add(at.getLineNr(), at.getColumnNr(), path, "the alias *" + p.getText()
                        + " names no anchor before it (anchors name maps and lists here: write &" + p.getText()
                        + " before the map or list it stands for)");
                return new Node.Scalar(null, Node.Type.NULL, at.getLineNr(), at.getColumnNr());
            }
            return target;
        }
        Object anchor = p instanceof YAMLParser ? p.getObjectId() : null;
        Node node = parse(p, path);
        if (anchor != null) {
            anchors.put(anchor.toString(), node);
        }
        return node;
    }

    private Node parse(JsonParser p, String path) throws IOException {
        JsonLocation at = p.currentTokenLocation();
        int line = at.getLineNr();
        int column = at.getColumnNr();
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                Map<String, Node> entries = new LinkedHashMap<>();
                Map<String, int[]> keys = new LinkedHashMap<>();
                List<Node> merged = new ArrayList<>();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    JsonLocation k = p.currentTokenLocation();
                    p.nextToken();
                    String child = path.isEmpty() ? key : path + "." + key;
                    Node v = value(p, child);
                    if (key.equals("<<") && p instanceof YAMLParser) {
                        merged.add(v);
                        continue;
                    }
                    if (entries.containsKey(key)) {
                        problems.add(k.getLineNr(), k.getColumnNr(), child, "given twice (also on line "
                                + keys.get(key)[0] + "): keep one");
                        continue;
                    }
                    entries.put(key, v);
                    keys.put(key, new int[] {k.getLineNr(), k.getColumnNr()});
                }
                merge(merged, entries, keys, path);
                return new Node.MapNode(entries, keys, line, column);
            }
            case START_ARRAY: {
                List<Node> items = new ArrayList<>();
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    items.add(value(p, path + "[" + items.size() + "]"));
                }
                return new Node.ListNode(items, line, column);
            }
            case VALUE_STRING:
                return new Node.Scalar(p.getText(), Node.Type.STRING, line, column);
            case VALUE_NUMBER_INT:
                return new Node.Scalar(p.getText(), Node.Type.INTEGER, line, column);
            case VALUE_NUMBER_FLOAT:
                return new Node.Scalar(p.getText(), Node.Type.DECIMAL, line, column);
            case VALUE_TRUE:
            case VALUE_FALSE:
                return new Node.Scalar(p.getText(), Node.Type.BOOLEAN, line, column);
            case VALUE_NULL:
                return new Node.Scalar(null, Node.Type.NULL, line, column);
            default:
                problems.add(line, column, path, "unexpected " + t + " (see docs/CONFIG.md for the keys)");
                p.skipChildren();
                return new Node.Scalar(null, Node.Type.NULL, line, column);
        }
    }
}
