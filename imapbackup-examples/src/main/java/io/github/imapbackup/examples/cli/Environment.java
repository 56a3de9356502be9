package io.github.imapbackup.examples.cli;

import java.io.Console;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.Objects;

/** What the program needs from its surroundings: environment variables and the terminal (tests substitute it). */
interface Environment {

    /**
     * Returns an environment variable.
     *
     * @param name the name
     * @return the value, or null
     */
    String getenv(String name);

    /** Returns whether a user sits at a terminal (progress display, password prompt). */
    boolean interactive();

    /**
     * Asks for a secret without echo.
     *
     * @param prompt the prompt
     * @return the secret, or null when there is no terminal or the input ended
     */
    char[] readPassword(String prompt);

    /** Returns the real environment. */
    static Environment system() {
        return new Environment() {
            @Override
            public String getenv(String name) {
                return System.getenv(name);
            }

            @Override
            public boolean interactive() {
                return isTerminal(System.console());
            }

            @Override
            public char[] readPassword(String prompt) {
                Console c = System.console();
                return isTerminal(c) ? c.readPassword("%s", prompt) : null;
            }
        };
    }

    /**
     * Returns an environment without a terminal and with the given variables (for tests and embedding).
     *
     * @param variables the environment variables
     * @return the environment
     */
    static Environment of(Map<String, String> variables) {
        Map<String, String> vars = Map.copyOf(variables);
        return new Environment() {
            @Override
            public String getenv(String name) {
                return vars.get(Objects.requireNonNull(name));
            }

            @Override
            public boolean interactive() {
                return false;
            }

            @Override
            public char[] readPassword(String prompt) {
                return null;
            }
        };
    }

    /**
     * Returns whether the console is a terminal. From Java 22 on, {@code System.console()} may be
     * non-null when input or output is redirected; {@code Console.isTerminal()} tells.
     */
    private static boolean isTerminal(Console console) {
        if (console == null) {
            return false;
        }
        try {
            Method m = Console.class.getMethod("isTerminal");
            return (Boolean) m.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true; // Java 17-21: a console exists only on a terminal
        }
    }
}
