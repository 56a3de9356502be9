/** Network plumbing of the tests: a TCP proxy core. */
package io.github.imapbackup.testing.net;
