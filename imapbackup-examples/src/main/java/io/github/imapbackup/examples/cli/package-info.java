/** The {@code imapbackup} command line program; see {@code docs/CLI.md}. */
package io.github.imapbackup.examples.cli;
