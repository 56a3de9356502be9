#!/usr/bin/env bash
# Installs what the test suite needs on a Debian machine: the command line compressors (tests check
# that gzip/bzip2/xz/zstd read our files), mbsync (isync: the benchmark program compares the backup
# with it, docs/benchmarks-imap.md) and, through dovecot-setup.sh, Dovecot for the
# interoperability tests. Idempotent; fails loudly.
set -euo pipefail
cd "$(dirname "$0")"
need=()
for t in gzip bzip2 xz zstd python3 mbsync; do
    command -v "$t" >/dev/null 2>&1 || need+=("$(case "$t" in xz) echo xz-utils ;; mbsync) echo isync ;; *) echo "$t" ;; esac)")
done
if [ ${#need[@]} -gt 0 ]; then
    SUDO=""
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null 2>&1 || { echo "install-test-deps: need root or sudo to install ${need[*]}" >&2; exit 1; }
        SUDO="sudo"
    fi
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}"
fi
for t in gzip bzip2 xz zstd python3 mbsync; do
    command -v "$t" >/dev/null || { echo "install-test-deps: $t missing" >&2; exit 1; }
done
# exFAT (a file system without POSIX permissions, case-insensitive) for the disk fault tests
# (NoPosixStoreTest, NoPosixDiskIT): mkfs.exfat and the FUSE driver, for kernels without exfat. The
# tests skip, saying why, where loop devices or FUSE are unavailable.
if ! command -v mkfs.exfat >/dev/null 2>&1 || ! command -v mount.exfat-fuse >/dev/null 2>&1; then
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get install -y -qq --no-install-recommends exfatprogs exfat-fuse \
        || { $SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends exfatprogs exfat-fuse; }
fi
bash ./dovecot-setup.sh
