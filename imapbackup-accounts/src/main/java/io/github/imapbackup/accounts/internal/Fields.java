package io.github.imapbackup.accounts.internal;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The keys of one map of a configuration file, read with their types and ranges checked; every
 * mistake goes to {@link Problems} with the key's path and place, and the getter then answers
 * "absent" so that reading goes on and all mistakes are reported together.
 */
public final class Fields {

    private final Node.MapNode map;
    private final String path;
    private final Problems problems;

    /**
     * The keys of a map; keys not in {@code known} are reported, with the closest known key.
     *
     * @param map the map
     * @param path the map's path, such as {@code accounts[2]}, or empty for the top
     * @param problems where mistakes go
     * @param known the keys allowed here
     * @param where what this map is, for the message on an unknown key ("an account")
     */
    public Fields(Node.MapNode map, String path, Problems problems, List<String> known, String where) {
        this.map = map;
        this.path = path;
        this.problems = problems;
        for (Map.Entry<String, int[]> k : map.keys().entrySet()) {
            if (!known.contains(k.getKey())) {
                String hint = Values.closest(k.getKey(), known).map(s -> "did you mean " + s + "? ")
                        .orElse("");
                problems.add(k.getValue()[0], k.getValue()[1], path(k.getKey()), "unknown key in " + where + ": "
                        + hint + "(known: " + String.join(", ", known) + ")");
            }
        }
    }

    /**
     * The map at a value, or null (reported) when it is not a map.
     *
     * @param node the value
     * @param path its path
     * @param problems where mistakes go
     * @param known the keys allowed there
     * @param where what the map is
     * @return its keys, or null
     */
    public static Fields of(Node node, String path, Problems problems, List<String> known, String where) {
        if (node instanceof Node.MapNode m) {
            return new Fields(m, path, problems, known, where);
        }
        problems.add(node, path, "expected " + where + " (keys " + String.join(", ", known) + "), not "
                + node.kind());
        return null;
    }

    /** {@return the map} */
    public Node.MapNode node() {
        return map;
    }

    /**
     * {@return the path of a key of this map}
     *
     * @param key the key
     */
    public String path(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    /**
     * {@return whether the key is given (with a value other than nothing)}
     *
     * @param key the key
     */
    public boolean has(String key) {
        Node n = map.entries().get(key);
        return n != null && !(n instanceof Node.Scalar s && s.type() == Node.Type.NULL);
    }

    /**
     * {@return the value of a key, if given with a value}
     *
     * @param key the key
     */
    public Optional<Node> get(String key) {
        return has(key) ? Optional.of(map.entries().get(key)) : Optional.empty();
    }

    /**
     * Records a mistake at a key's value (or at the map, when the key is absent).
     *
     * @param key the key
     * @param message what is wrong and what to do
     */
    public void problem(String key, String message) {
        Node n = map.entries().get(key);
        problems.add(n != null ? n : map, path(key), message);
    }

    /**
     * Records that a required key is missing.
     *
     * @param key the key
     * @param what what it is and what to give
     */
    public void missing(String key, String what) {
        problems.add(map, path(key), "missing: " + what);
    }

    /**
     * {@return the text of a key; numbers and booleans as written}
     *
     * @param key the key
     */
    public Optional<String> text(String key) {
        return get(key).flatMap(n -> {
            if (n instanceof Node.Scalar s) {
                if (s.text().isEmpty()) {
                    problem(key, "is empty");
                    return Optional.empty();
                }
                return Optional.of(s.text());
            }
            problem(key, "expected text, not " + n.kind());
            return Optional.empty();
        });
    }

    /**
     * {@return a whole number within a range}
     *
     * @param key the key
     * @param min the least allowed
     * @param max the most allowed
     */
    public Optional<Integer> integer(String key, int min, int max) {
        return get(key).flatMap(n -> {
            if (n instanceof Node.Scalar s && (s.type() == Node.Type.INTEGER || s.type() == Node.Type.STRING
                    && s.text().strip().matches("-?\\d{1,18}"))) {
                long v;
                try {
                    v = Long.parseLong(s.text().strip());
                } catch (NumberFormatException e) {
                    v = Long.MAX_VALUE;
                }
                if (v < min || v > max) {
                    problem(key, "must be from " + min + " to " + max + ", not " + s.text().strip());
                    return Optional.empty();
                }
                return Optional.of((int) v);
            }
            problem(key, "expected a whole number from " + min + " to " + max + ", not " + describe(n));
            return Optional.empty();
        });
    }

    /**
     * {@return a number (with a fraction allowed) within a range}
     *
     * @param key the key
     * @param min the least allowed
     * @param max the most allowed
     */
    public Optional<Double> decimal(String key, double min, double max) {
        return get(key).flatMap(n -> {
            if (n instanceof Node.Scalar s && s.type() != Node.Type.BOOLEAN) {
                try {
                    double v = Double.parseDouble(s.text().strip());
                    if (v >= min && v <= max) {
                        return Optional.of(v);
                    }
                } catch (NumberFormatException e) {
                    // reported below
                }
            }
            problem(key, "expected a number from " + min + " to " + max + ", not " + describe(n));
            return Optional.empty();
        });
    }

    /**
     * {@return true or false; YAML's yes/no and on/off, and 1/0 (Python's truth) too}
     *
     * @param key the key
     */
    public Optional<Boolean> bool(String key) {
        return get(key).flatMap(n -> {
            if (n instanceof Node.Scalar s && s.type() != Node.Type.NULL) {
                switch (s.text().strip().toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "on", "1":
                        return Optional.of(true);
                    case "false", "no", "off", "0":
                        return Optional.of(false);
                    default:
                        break;
                }
            }
            problem(key, "expected true or false, not " + describe(n));
            return Optional.empty();
        });
    }

    /**
     * {@return a duration within a range: seconds, or with units (500ms, 90s, 2m, 1h30m)}
     *
     * @param key the key
     * @param min the least allowed
     * @param max the most allowed
     */
    public Optional<Duration> duration(String key, Duration min, Duration max) {
        return parsed(key, Values::duration, "a duration such as 120, 90s, 2m or 1h30m").flatMap(d -> {
            if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
                problem(key, "must be from " + Durations.show(min) + " to " + Durations.show(max) + ", not "
                        + Durations.show(d));
                return Optional.empty();
            }
            return Optional.of(d);
        });
    }

    /**
     * {@return a size in bytes within a range: a number, or with a unit (64k, 1MiB, 5 MB)}
     *
     * @param key the key
     * @param min the least allowed
     * @param max the most allowed
     */
    public Optional<Long> bytes(String key, long min, long max) {
        return parsed(key, Values::bytes, "a size in bytes such as 1048576, 64KiB or 5MB").flatMap(b -> {
            if (b < min || b > max) {
                problem(key, "must be from " + min + " to " + max + " bytes, not " + b);
                return Optional.empty();
            }
            return Optional.of(b);
        });
    }

    /**
     * {@return a path, resolved against a directory when relative}
     *
     * @param key the key
     * @param base the directory of the configuration file
     */
    public Optional<Path> path(String key, Path base) {
        return text(key).flatMap(t -> {
            try {
                String expanded = t.startsWith("~/") ? System.getProperty("user.home") + t.substring(1) : t;
                return Optional.of(base.resolve(expanded).normalize());
            } catch (InvalidPathException e) {
                problem(key, "not a valid path: " + e.getReason());
                return Optional.empty();
            }
        });
    }

    /**
     * {@return one of a few names, in any case}
     *
     * @param key the key
     * @param lookup the value of a name, which throws IllegalArgumentException (with the names it knows) for others
     * @param <T> the type of the values
     */
    public <T> Optional<T> choice(String key, Function<String, T> lookup) {
        return text(key).flatMap(t -> {
            try {
                return Optional.of(lookup.apply(t.strip()));
            } catch (IllegalArgumentException e) {
                problem(key, e.getMessage());
                return Optional.empty();
            }
        });
    }

    /**
     * {@return the items of a list; a single value counts as a list of one}
     *
     * @param key the key
     */
    public List<Node> list(String key) {
        return get(key).map(n -> n instanceof Node.ListNode l ? l.items() : List.of(n)).orElse(List.of());
    }

    private <T> Optional<T> parsed(String key, Function<String, Optional<T>> parser, String expected) {
        return get(key).flatMap(n -> {
            if (n instanceof Node.Scalar s && (s.type() == Node.Type.STRING || s.type() == Node.Type.INTEGER
                    || s.type() == Node.Type.DECIMAL)) {
                Optional<T> v = parser.apply(s.text());
                if (v.isPresent()) {
                    return v;
                }
            }
            problem(key, "expected " + expected + ", not " + describe(n));
            return Optional.empty();
        });
    }

    private static String describe(Node n) {
        return n instanceof Node.Scalar s && s.text() != null ? "\"" + s.text() + "\"" : n.kind();
    }
}
