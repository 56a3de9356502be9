/** The embedded demo: a GreenMail server with a generated sample account. */
package io.github.imapbackup.examples.demo;
