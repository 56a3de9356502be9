/** A fake OAuth 2.0 token endpoint for tests of token refresh. */
package io.github.imapbackup.testing.oauth;
