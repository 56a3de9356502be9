#!/usr/bin/env bash
# The embedding test, as a user meets the library: builds this clone's release bundle
# (`mvn -Prelease deploy`: POMs, jars, sources and javadoc jars, checksums, and signatures with a
# throw-away key when gpg is installed) into a throw-away staging repository, checks the bundle is
# complete, then builds embedding-test/ (a separate project that knows only the published
# coordinates) against it twice: on the module path and on the class path.
#
# Never writes into ~/.m2 (other builds share it): every Maven call here uses a throw-away local
# repository, seeded read-only from ~/.m2 (a file:// repository; anything missing there comes from
# Maven Central). Extra arguments go to every Maven call (`-o`, offline, works for all but the
# deploy, which Maven refuses offline; it reads the seed, and reaches Central only for what is missing).
# Run after `mvn -B verify` (which fills ~/.m2 on a fresh machine); .ci/run does.
# IMAPBACKUP_UNSIGNED=1 builds the bundle unsigned even when gpg is installed.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$PWD"

work="$(mktemp -d "${TMPDIR:-/tmp}/imapbackup-embedding.XXXXXX")"
cleanup() {
    # the gpg-agent that key generation started lives in $work/gnupg
    [ ! -d "$work/gnupg" ] || GNUPGHOME="$work/gnupg" gpgconf --kill gpg-agent 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
seed="${IMAPBACKUP_SEED_REPOSITORY:-$HOME/.m2/repository}"
staging="$work/staging"
cat > "$work/settings.xml" <<XML
<settings>
  <profiles>
    <profile>
      <id>embedding-test</id>
      <repositories>
        <repository>
          <id>seed</id>
          <url>file://$seed</url>
          <releases><checksumPolicy>ignore</checksumPolicy></releases>
          <snapshots><enabled>false</enabled></snapshots>
        </repository>
        <repository>
          <id>staging</id>
          <url>file://$staging</url>
          <snapshots><enabled>true</enabled></snapshots>
        </repository>
      </repositories>
      <pluginRepositories>
        <pluginRepository>
          <id>seed</id>
          <url>file://$seed</url>
          <releases><checksumPolicy>ignore</checksumPolicy></releases>
          <snapshots><enabled>false</enabled></snapshots>
        </pluginRepository>
      </pluginRepositories>
    </profile>
  </profiles>
  <activeProfiles>
    <activeProfile>embedding-test</activeProfile>
  </activeProfiles>
</settings>
XML
# aether.offline.protocols: with -o, the file:// repositories stay usable
mvn=(mvn -B -ntp -s "$work/settings.xml" -Dmaven.repo.local="$work/repository" -Daether.offline.protocols=file "$@")

echo "== release bundle into a throw-away staging repository"
sign=()
if [ "${IMAPBACKUP_UNSIGNED:-}" = 1 ]; then
    echo "IMAPBACKUP_UNSIGNED=1: the bundle is built unsigned"
elif command -v gpg >/dev/null 2>&1; then
    export GNUPGHOME="$work/gnupg"
    mkdir -m 700 "$GNUPGHOME"
    gpg --batch --quiet --passphrase '' --quick-gen-key 'imapbackup embedding test <embedding-test@example.invalid>' \
        ed25519 sign 1d 2>/dev/null || { echo "embedding-test: gpg could not make a throw-away key" >&2; exit 1; }
    key="$(gpg --batch --with-colons --list-secret-keys 2>/dev/null | awk -F: '$1 == "fpr" { print $10; exit }')"
    sign=(-Dgpg.keyname="$key")
    echo "signing with a throw-away key $key"
else
    echo "gpg not installed: the bundle is built unsigned"
fi
online=()
for a in "${mvn[@]}"; do
    [ "$a" = -o ] || [ "$a" = --offline ] || online+=("$a")
done
"${online[@]}" -Prelease -DskipTests -Dimapbackup.staging="$staging" "${sign[@]}" -pl '!imapbackup-examples' deploy \
    > "$work/deploy.log" 2>&1 || { cat "$work/deploy.log"; exit 1; }
grep -E '^\[(WARNING|ERROR)\]' "$work/deploy.log" || true

echo "== checking the bundle"
python3 - "$staging" "$root/imapbackup-bom/pom.xml" "${#sign[@]}" <<'PY'
import os, re, subprocess, sys, xml.etree.ElementTree as ET
staging, bom, signed = sys.argv[1], sys.argv[2], sys.argv[3] != "0"
ns = {"m": "http://maven.apache.org/POM/4.0.0"}
jars = [d.findtext("m:artifactId", namespaces=ns)
        for d in ET.parse(bom).getroot().findall("m:dependencyManagement/m:dependencies/m:dependency", ns)]
expected = {"imapbackup-parent": [".pom"], "imapbackup-bom": [".pom"]}
for a in jars:
    expected[a] = [".pom", ".jar", "-sources.jar", "-javadoc.jar"]
base = os.path.join(staging, "io", "github", "imapbackup")
found = sorted(os.listdir(base)) if os.path.isdir(base) else []
problems = []
if found != sorted(expected):
    problems.append(f"artifacts in the bundle: {found}, expected {sorted(expected)}")
for artifact, suffixes in expected.items():
    for version in (os.listdir(os.path.join(base, artifact)) if os.path.isdir(os.path.join(base, artifact)) else []):
        d = os.path.join(base, artifact, version)
        if not os.path.isdir(d):
            continue
        files = os.listdir(d)
        for suffix in suffixes:
            main = [f for f in files if re.fullmatch(re.escape(artifact) + r"-[^/]*?" + re.escape(suffix), f)
                    and not (suffix == ".jar" and (f.endswith("-sources.jar") or f.endswith("-javadoc.jar") or f.endswith("-tests.jar")))]
            if not main:
                problems.append(f"{artifact}: no {suffix} file in {d}")
            for f in main:
                needed = [".md5", ".sha1"] + ([".asc"] if signed else [])
                for extra in needed:
                    if f + extra not in files:
                        problems.append(f"{artifact}: {f}{extra} missing")
                if signed and f + ".asc" in files:
                    r = subprocess.run(["gpg", "--batch", "--verify", os.path.join(d, f + ".asc"), os.path.join(d, f)],
                                       capture_output=True)
                    if r.returncode != 0:
                        problems.append(f"{artifact}: bad signature on {f}")
for p in problems:
    print("bundle:", p, file=sys.stderr)
if problems:
    sys.exit(1)
print(f"bundle complete: {', '.join(sorted(expected))}" + (" (signed)" if signed else " (unsigned)"))
PY

echo "== embedding-test on the module path"
(cd embedding-test && "${mvn[@]}" test)
echo "== embedding-test on the class path"
(cd embedding-test && "${mvn[@]}" -Pclass-path test)
