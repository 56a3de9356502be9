package io.github.imapbackup.examples.cli;

import java.util.List;
import java.util.logging.Level;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * Sets up logging before anything logs: slf4j-simple to stderr at WARN (INFO with
 * {@code --verbose}, DEBUG with {@code --debug}, TRACE with {@code --trace}), and Angus Mail's
 * java.util.logging through SLF4J: its FINE messages at DEBUG, its protocol trace (FINEST) at
 * TRACE. Angus leaves the login's exchange out of its trace (docs/CLI.md, "Logging").
 */
final class Logging {

    static final String LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    /**
     * The level of the library's logger of failing folders ({@code io.github.imapbackup.folders}):
     * the program lists every failure itself, so at the default level it would say each twice.
     */
    static final String FOLDERS_PROPERTY = "org.slf4j.simpleLogger.log.io.github.imapbackup.folders";
    private static boolean bridged;

    private Logging() { }

    /**
     * Configures logging from the raw arguments (before parsing, since parsing may log).
     *
     * @param args the arguments
     */
    static synchronized void configure(List<String> args) {
        String level = level(args);
        if (level != null) {
            System.setProperty(LEVEL_PROPERTY, level);
        } else if (System.getProperty(LEVEL_PROPERTY) == null) {
            System.setProperty(LEVEL_PROPERTY, "warn");
        }
        if (level == null && System.getProperty(FOLDERS_PROPERTY) == null) {
            System.setProperty(FOLDERS_PROPERTY, "error");
        }
        if (!bridged) {
            bridged = true;
            SLF4JBridgeHandler.removeHandlersForRootLogger();
            SLF4JBridgeHandler.install();
        }
        java.util.logging.Logger.getLogger("").setLevel(level == null ? Level.WARNING : switch (level) {
            case "trace" -> Level.FINEST;
            case "debug" -> Level.FINE;
            default -> Level.INFO;
        });
    }

    /** {@return the level the arguments ask for: the most verbose of them, or null for the default} */
    static String level(List<String> args) {
        int end = args.indexOf("--");
        List<String> options = end < 0 ? args : args.subList(0, end);
        return options.contains("--trace") ? "trace" : options.contains("--debug") ? "debug"
                : options.contains("--verbose") || options.contains("-v") ? "info" : null;
    }
}
