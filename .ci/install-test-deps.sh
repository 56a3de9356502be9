#!/usr/bin/env bash
# Installs what the test suite needs on a Debian machine: Dovecot (interoperability tests) and the
# command line compressors (the tests check that gzip/bzip2/xz/zstd read our files). Idempotent.
set -euo pipefail
need=()
command -v dovecot >/dev/null 2>&1 || [ -x /usr/sbin/dovecot ] || need+=(dovecot-imapd)
for t in gzip bzip2 xz zstd openssl python3; do
    command -v "$t" >/dev/null 2>&1 || need+=("$( [ "$t" = xz ] && echo xz-utils || echo "$t")")
done
if [ ${#need[@]} -gt 0 ]; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "missing packages: ${need[*]} (run: sudo apt-get install ${need[*]})" >&2
        exit 1
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${need[@]}"
fi
# The distribution's own Dovecot service is not used by the tests (they start private instances).
/usr/sbin/dovecot --version >/dev/null
for t in gzip bzip2 xz zstd openssl; do command -v "$t" >/dev/null; done
echo "test dependencies present: dovecot $(/usr/sbin/dovecot --version | cut -d' ' -f1)"
