package io.github.imapbackup.accounts.internal;

import java.util.List;
import java.util.Map;

/** A value of a configuration file with where it stands (line and column from 1), whatever the syntax. */
public sealed interface Node {

    /** {@return the line of the value, from 1} */
    int line();

    /** {@return the column of the value, from 1} */
    int column();

    /** {@return what kind of value this is, for messages: "a map", "a list", "a number", …} */
    String kind();

    /**
     * A map of keys to values, in the order of the file.
     *
     * @param entries the values by key
     * @param keys where each key stands
     * @param line the line
     * @param column the column
     */
    record MapNode(Map<String, Node> entries, Map<String, int[]> keys, int line, int column) implements Node {

        @Override
        public String kind() {
            return "a map of keys";
        }
    }

    /**
     * A list.
     *
     * @param items the items
     * @param line the line
     * @param column the column
     */
    record ListNode(List<Node> items, int line, int column) implements Node {

        @Override
        public String kind() {
            return "a list";
        }
    }

    /**
     * A single value: text, a number, true or false, or nothing (null).
     *
     * @param text the value as written, or null for none
     * @param type what the syntax made of it
     * @param line the line
     * @param column the column
     */
    record Scalar(String text, Type type, int line, int column) implements Node {

        @Override
        public String kind() {
            return switch (type) {
                case STRING -> "text";
                case INTEGER, DECIMAL -> "a number";
                case BOOLEAN -> "true or false";
                case NULL -> "nothing";
            };
        }
    }

    /** What the syntax made of a single value. */
    enum Type {
        /** Text. */
        STRING,
        /** A whole number. */
        INTEGER,
        /** A number with a fraction or exponent. */
        DECIMAL,
        /** true or false. */
        BOOLEAN,
        /** No value. */
        NULL
    }
}
