#!/usr/bin/env bash
# Installs what the Dovecot interoperability tests (imapbackup-imap, Dovecot*IT) and the IMAP
# benchmark need on a fresh Debian/Ubuntu machine: Dovecot 2.3 IMAP (dovecot, doveadm) and openssl.
# Idempotent; fails loudly. Needs root (or sudo) for apt-get. Does not start any system service:
# the tests start their own private Dovecot (io.github.imapbackup.testing.Dovecot).
set -euo pipefail

need_install=()
[ -x /usr/sbin/dovecot ] && [ -x /usr/bin/doveadm ] || need_install+=(dovecot-imapd)
command -v openssl >/dev/null 2>&1 || need_install+=(openssl)

if [ "${#need_install[@]}" -gt 0 ]; then
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "dovecot-setup: need root or sudo to install ${need_install[*]}" >&2; exit 1; }
    SUDO="sudo"
  fi
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${need_install[@]}"
  # the package starts a system-wide Dovecot on 143/993; the tests do not need it
  if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet dovecot 2>/dev/null; then
    $SUDO systemctl stop dovecot || true
  fi
fi

# check, loudly
/usr/sbin/dovecot --version >/dev/null || { echo "dovecot-setup: /usr/sbin/dovecot does not run" >&2; exit 1; }
/usr/bin/doveadm help >/dev/null 2>&1 || true
version="$(/usr/sbin/dovecot --version)"
case "$version" in
  2.3.*) ;;
  *) echo "dovecot-setup: warning: the test harness writes a Dovecot 2.3 configuration; found $version (2.4 changed the settings syntax)" >&2 ;;
esac
# the harness runs mail processes as 'nobody' when root; Debian's package creates dovecot/dovenull
id nobody >/dev/null 2>&1 || { echo "dovecot-setup: user 'nobody' missing" >&2; exit 1; }
echo "dovecot-setup: Dovecot $version and $(openssl version | cut -d' ' -f1-2) ready"
