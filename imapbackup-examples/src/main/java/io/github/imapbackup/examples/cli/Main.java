package io.github.imapbackup.examples.cli;

/** The {@code imapbackup} command line program. */
public final class Main {

    private Main() { }

    /**
     * Runs the program.
     *
     * @param args the arguments
     */
    public static void main(String[] args) {
        System.exit(2);
    }
}
