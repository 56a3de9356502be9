/**
 * Many accounts, unattended: a typed configuration of accounts (built in code or read from a
 * YAML or JSON file, the original multi-account script's {@code config.json} included), provider
 * presets, and the runner that backs them up in parallel within connection limits. See
 * {@code docs/CONFIG.md}.
 */
package io.github.imapbackup.accounts;
